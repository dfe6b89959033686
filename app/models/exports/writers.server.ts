import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { safeCell } from '~/utils/spreadsheet-safe';
import type { CellValue } from './columns.server';

/**
 * The two file writers of the wide export. CSV comes in two dialects:
 * - `rfc4180` (default, as before): comma separator, decimal point, for R, pandas, Python's csv
 *   and LibreOffice;
 * - `excel-sv`: what Excel with Swedish regional settings opens by double-click: `;` separator,
 *   decimal comma, CRLF rows. Both start with a UTF-8 BOM so å, ä, ö survive.
 * Text cells that could start a formula get the formula guard's apostrophe in CSV only: an XLSX
 * string cell is never evaluated, so the apostrophe would only show.
 */
export const CSV_DIALECTS = ['rfc4180', 'excel-sv'] as const;
export type CsvDialect = (typeof CSV_DIALECTS)[number];

/** Excel's limit on the characters of one cell. */
export const XLSX_CELL_LIMIT = 32_767;
/** Ends a text that was cut at the cell limit; the codebook explains it. */
export const TRUNCATION_MARKER = ' [… avkortad av Enkätnav: texten är längre än vad en Excel-cell rymmer, se CSV-exporten]';
/** The number format of date cells (Excel shows it as is; Swedish time, Europe/Stockholm). */
export const XLSX_DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

export interface RowLayout<R> {
  headers: string[];
  /** Indexes of the columns holding ISO timestamps, written as date cells in XLSX. */
  dateColumns: ReadonlySet<number>;
  /** The cells of a row; with `guardFormulas`, text that could start a formula is quoted. */
  toCells: (row: R, guardFormulas: boolean) => CellValue[];
}

type Collect = (count: number) => void;

/** A number as Swedish Excel reads it: decimal comma, no thousands separator. */
const swedishNumber = (n: number) => String(n).replace('.', ',');

export async function writeCsv<R>(pages: AsyncIterable<R[]>, layout: RowLayout<R>, out: Writable, collect: Collect, dialect: CsvDialect): Promise<number> {
  const sv = dialect === 'excel-sv';
  const csv = stringify({
    bom: true,
    header: true,
    columns: layout.headers.map(safeCell) as string[],
    ...(sv ? { delimiter: ';', record_delimiter: 'windows' as const, cast: { number: swedishNumber } } : {}),
  });
  const done = pipeline(csv, out);
  let count = 0;
  try {
    for await (const page of pages) {
      for (const r of page) {
        if (!csv.write(layout.toCells(r, true))) await once(csv, 'drain');
        collect(++count);
      }
    }
    csv.end();
  } catch (e) {
    csv.destroy(e as Error);
  }
  await done;
  return count;
}

const STOCKHOLM = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/**
 * An ISO timestamp as the Date exceljs needs for a cell showing Swedish wall-clock time. Excel
 * dates have no time zone and exceljs writes a Date's UTC fields, so the result carries the
 * Stockholm fields as UTC. Unreadable text stays text.
 */
export function stockholmCellDate(iso: string): Date | string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const f = Object.fromEntries(STOCKHOLM.formatToParts(at).map((p) => [p.type, p.value]));
  return new Date(Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute), Number(f.second)));
}

/** Text within Excel's cell limit: cut (not inside a surrogate pair) and marked. */
export function fitXlsxText(text: string): string {
  if (text.length <= XLSX_CELL_LIMIT) return text;
  let end = XLSX_CELL_LIMIT - TRUNCATION_MARKER.length;
  if (/[\uD800-\uDBFF]/.test(text[end - 1])) end--;
  return text.slice(0, end) + TRUNCATION_MARKER;
}

const DATE_STYLE = { numFmt: XLSX_DATE_FORMAT };
const WRAP_STYLE = { alignment: { wrapText: true, vertical: 'top' as const } };

/** Empty cells as holes: exceljs skips holes, but builds (and then drops) a cell for every null. */
function sparse(cells: (CellValue | Date)[]): (CellValue | Date)[] {
  const out: (CellValue | Date)[] = [];
  for (let i = 0; i < cells.length; i++) if (cells[i] !== null) out[i] = cells[i];
  return out;
}

/** Adds one row, with date cells and wrapped multi-line text, and commits it. */
function addXlsxRow(sheet: ExcelJS.Worksheet, cells: CellValue[], dateColumns: ReadonlySet<number>) {
  const values: (CellValue | Date)[] = cells.map((v, i) => (typeof v === 'string' ? (dateColumns.has(i) ? stockholmCellDate(v) : fitXlsxText(v)) : v));
  const row = sheet.addRow(sparse(values));
  values.forEach((v, i) => {
    if (v instanceof Date) row.getCell(i + 1).style = DATE_STYLE;
    else if (typeof v === 'string' && v.includes('\n')) row.getCell(i + 1).style = WRAP_STYLE;
  });
  row.commit();
}

/**
 * exceljs's streaming writer ignores backpressure: committed rows are pushed into the zip
 * (deflate runs on the thread pool) without waiting, and reading the database with
 * better-sqlite3 never yields to the event loop, so a fast producer would buffer the whole
 * file in memory. We let the zip and the output catch up after every few hundred rows.
 * This looks at exceljs 4.4 internals (the sheet's StreamBuf and its pipes); if they change,
 * pending() reads 0 and we still yield once per batch.
 */
async function caughtUp(sheet: unknown, out: Writable) {
  type Pipe = { writableLength?: number; _writableState?: { length?: number } };
  const pending = () => {
    const stream = (sheet as { _stream?: { buffers?: { length?: number }[]; pipes?: Pipe[] } })._stream;
    let bytes = 0;
    for (const b of stream?.buffers ?? []) bytes += b.length ?? 0;
    // archiver's entry stream is a readable-stream v2 PassThrough: no writableLength.
    for (const p of stream?.pipes ?? []) bytes += p.writableLength ?? p._writableState?.length ?? 0;
    return bytes;
  };
  do await new Promise((resolve) => setImmediate(resolve));
  while (pending() > 2 ** 20);
  if (out.writableNeedDrain) await once(out, 'drain');
}

export async function writeXlsx<R>(pages: AsyncIterable<R[]>, layout: RowLayout<R>, codebook: (string | null)[][], out: Writable, collect: Collect): Promise<number> {
  // No shared strings: they would be kept in memory until the end. Styles are on, for the date
  // format and wrapped text; exceljs keeps one entry per distinct style, so two.
  // Fast deflate: level 1 makes the file ~25 % larger but compresses several times faster.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true, zip: { zlib: { level: 1 } } });
  const sheet = workbook.addWorksheet('Svar', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(layout.headers).commit();
  let count = 0;
  for await (const page of pages) {
    for (const r of page) {
      addXlsxRow(sheet, layout.toCells(r, false), layout.dateColumns);
      if (++count % 250 === 0) await caughtUp(sheet, out);
      collect(count);
    }
  }
  sheet.commit();
  const book = workbook.addWorksheet('Kodbok');
  for (const row of codebook) addXlsxRow(book, row, new Set());
  book.commit();
  await workbook.commit();
  return count;
}
