import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

/** One data row of a table file, with the 1-based line (CSV) or row number (XLSX) it came from. */
export interface TabularRow {
  line: number;
  cells: Record<string, string>;
}

export interface Tabular {
  headers: string[];
  rows: TabularRow[];
}

/** A file that cannot be read as a table; the message is English and safe to show. */
export class TabularError extends Error {}

/**
 * Reads a CSV (comma or semicolon separated, UTF-8, optional BOM) or XLSX file (first sheet)
 * into header-keyed rows of trimmed strings. Empty rows are skipped; empty cells are ''.
 * @example const { headers, rows } = await readTabularFile('grants.xlsx')
 */
export async function readTabularFile(file: string): Promise<Tabular> {
  let buffer: Buffer;
  try {
    buffer = await fs.readFile(file);
  } catch {
    throw new TabularError(`Cannot read file ${file}`);
  }
  return readTabular(buffer, path.basename(file));
}

/** Like readTabularFile, for an uploaded file's bytes; the format follows the file name's extension. */
export async function readTabular(buffer: Buffer, fileName: string): Promise<Tabular> {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.xlsx') return readXlsx(buffer);
  if (ext === '.csv' || ext === '.txt') return readCsv(buffer.toString('utf8'));
  throw new TabularError(`Unsupported file type "${ext || fileName}": use .csv or .xlsx`);
}

function readCsv(text: string): Tabular {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  // Swedish spreadsheet programs export CSV with ';'. A header has no multiple-choice values,
  // so the separator can be told from the header line alone.
  const delimiter = firstLine.includes(',') || !firstLine.includes(';') ? ',' : ';';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, delimiter, info: true, relax_column_count: true, skip_empty_lines: true }) as never;
  } catch (e) {
    throw new TabularError(`Invalid CSV: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new TabularError('The file is empty');
  const headers = records[0].record.map((h) => h.trim());
  return {
    headers,
    rows: records.slice(1).map(({ record, info }) => ({ line: info.lines, cells: toCells(headers, record) })),
  };
}

async function readXlsx(buffer: Buffer): Promise<Tabular> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new TabularError('Invalid XLSX file');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new TabularError('The file is empty');
  const values = (rowNumber: number) => {
    const row = sheet.getRow(rowNumber);
    const out: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) out.push(cellText(row.getCell(c).value));
    return out;
  };
  const headers = values(1).map((h) => h.trim());
  const rows: TabularRow[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const record = values(r);
    if (record.every((v) => v.trim() === '')) continue;
    rows.push({ line: r, cells: toCells(headers, record) });
  }
  return { headers, rows };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

function toCells(headers: string[], record: string[]): Record<string, string> {
  const cells: Record<string, string> = {};
  headers.forEach((h, i) => {
    if (h) cells[h] = (record[i] ?? '').trim();
  });
  return cells;
}
