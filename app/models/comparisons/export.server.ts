import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { safeRow } from '../../utils/spreadsheet-safe';
import type { ComparisonResult, GroupResult } from './compute.server';

/**
 * The comparison table as flat rows: one per period (trends) and group, Riket last, with
 * n, missing, and count and percent per value. Suppressed cells are "..".
 */
export function tableRows(result: ComparisonResult): Record<string, string | number>[] {
  const periods = result.periods ?? [{ key: '', label: '', groups: result.groups, total: result.total, test: result.test }];
  const rows: Record<string, string | number>[] = [];
  const cell = (v: number | null | undefined) => (v === null ? '..' : (v ?? ''));
  const all = result.grandTotal ? [...periods, { key: 'summa', label: 'Summa', groups: [], total: result.grandTotal, test: null }] : periods;
  for (const p of all) {
    for (const g of [...p.groups, p.total] as GroupResult[]) {
      const row: Record<string, string | number> = {};
      if (result.periods) row.period = p.label;
      row.group = g.key;
      row.label = g.label;
      row.n = g.n;
      row.missing = g.missing;
      if (g.money) {
        row.allocated_sek = g.money.allocated;
        row.used_sek = g.money.used;
        row.repaid_sek = g.money.repaid;
        row.percent_used = cell(g.money.share);
        row.provisional = g.money.provisional ? 'yes' : '';
      } else if (g.stats) {
        row.mean = cell(g.stats.mean);
        row.median = cell(g.stats.median);
        row.sum = cell(g.stats.sum);
        if (g.stats.ratio !== undefined) row.percent_ratio = cell(g.stats.ratio);
      } else
        for (const v of result.values) {
          row[`count_${v.key}`] = cell(g.counts[v.key]);
          row[`percent_${v.key}`] = cell(g.percent[v.key]);
        }
      rows.push(row);
    }
  }
  return rows;
}

export function tableCsv(result: ComparisonResult): string {
  const rows = tableRows(result).map(safeRow);
  return stringify(rows, { header: true, columns: Object.keys(rows[0] ?? { group: 1 }) });
}

/** The table as an XLSX workbook with the title, source and note above it. */
export async function tableXlsx(result: ComparisonResult, sourceLine: string, note: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Jämförelse');
  const rows = tableRows(result);
  const columns = Object.keys(rows[0] ?? { group: 1 });
  ws.addRow([result.title]).font = { bold: true };
  ws.addRow([sourceLine]);
  ws.addRow([note]);
  ws.addRow([]);
  ws.addRow(columns).font = { bold: true };
  // String cells are never formulas in XLSX: no formula guard, so no visible apostrophe.
  for (const r of rows) ws.addRow(columns.map((c) => r[c]));
  // Percentages keep the figure's decimals; Excel shows them with the reader's decimal sign
  // (a comma in Swedish), since the cells are numbers, not text.
  const format = result.precision ? `0.${'0'.repeat(result.precision)}` : '0';
  columns.forEach((c, i) => {
    if (c.startsWith('percent')) ws.getColumn(i + 1).numFmt = format;
    else if (c.endsWith('_sek')) ws.getColumn(i + 1).numFmt = '#,##0';
  });
  for (const line of result.policy?.notes ?? []) ws.addRow([line]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
