import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { safeRow } from '~/utils/spreadsheet-safe';
import type { StatusRow } from './status.server';

/** The missing list as files for the people who phone round: CSV and XLSX, formula-safe. */

/** Column headers of the missing-list export, Swedish (the file is for people phoning). */
const EXPORT_COLUMNS = [
  ['code', 'Kod'],
  ['name', 'Organisation/person'],
  ['lan', 'Län'],
  ['kommungrupp', 'Kommungrupp'],
  ['status', 'Status'],
  ['lastSavedAt', 'Senast sparad'],
  ['reminders', 'Påminnelser'],
  ['email', 'E-post (person)'],
  ['contactNames', 'Kontakter'],
  ['contactEmails', 'Kontakternas e-post'],
  ['contactRoles', 'Kontakternas roller'],
] as const;

type ExportRecord = Record<(typeof EXPORT_COLUMNS)[number][0], string | number>;

function exportRecords(rows: StatusRow[], statusLabels: Record<string, string>, guardFormulas: boolean): ExportRecord[] {
  const guard = guardFormulas ? safeRow : <T,>(row: T) => row;
  return rows.map((r) =>
    guard({
      code: r.code ?? '',
      name: r.name,
      lan: r.lanCode ?? '',
      kommungrupp: r.kommungrupp ?? '',
      status: statusLabels[r.status] ?? r.status,
      lastSavedAt: r.lastSavedAt ?? '',
      reminders: r.reminders,
      email: r.personEmail ?? '',
      contactNames: r.contacts.map((c) => c.name).join('; '),
      contactEmails: r.contacts.map((c) => c.email).join('; '),
      contactRoles: r.contacts.map((c) => c.role ?? '').join('; '),
    }),
  );
}

/** The missing list as CSV (UTF-8 with BOM so Excel reads å/ä/ö), formula-safe. */
export function missingListCsv(rows: StatusRow[], statusLabels: Record<string, string>): string {
  const body = stringify(exportRecords(rows, statusLabels, true), {
    header: true,
    columns: EXPORT_COLUMNS.map(([key, header]) => ({ key, header })),
  });
  return `\uFEFF${body}`;
}

/** The missing list as an XLSX workbook (one sheet, header row frozen), formula-safe. */
export async function missingListXlsx(rows: StatusRow[], statusLabels: Record<string, string>, title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Enkätnav';
  const sheet = workbook.addWorksheet('Saknade svar', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map(([key, header]) => ({ key, header, width: key === 'name' || key.startsWith('contact') ? 32 : 14 }));
  sheet.getRow(1).font = { bold: true };
  // Strings are written as strings (never formulas): ExcelJS only makes a formula from an object.
  for (const record of exportRecords(rows, statusLabels, false)) sheet.addRow(record);
  workbook.title = title;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
