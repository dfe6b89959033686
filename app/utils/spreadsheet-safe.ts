/**
 * Neutralises spreadsheet formula injection (CSV/XLSX "CSV injection"): a cell whose text starts
 * with =, +, -, @, a tab or a carriage return would be run as a formula by Excel or LibreOffice
 * when the file is opened. Such text gets a leading apostrophe, which spreadsheets show as plain
 * text. Numbers, booleans and null pass through unchanged, so "-5" the string is quoted but -5
 * the number is not.
 *
 * For CSV only: in XLSX a string cell is never evaluated, so writers there leave text as is
 * (the apostrophe would show in the cell).
 * @example safeCell('=HYPERLINK("http://evil")') // "'=HYPERLINK(\"http://evil\")"
 */
export function safeCell<T>(value: T): T | string {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** `safeCell` on every value of a row object. */
export function safeRow<T extends Record<string, unknown>>(row: T): { [K in keyof T]: T[K] | string } {
  const out = {} as { [K in keyof T]: T[K] | string };
  for (const key of Object.keys(row) as (keyof T)[]) out[key] = safeCell(row[key]);
  return out;
}
