import ExcelJS from 'exceljs';
import { safeCell } from '~/utils/spreadsheet-safe';
import type { LedgerLine, YearSummary } from './ledger.server';
import { RULE_LABELS } from './labels';

/**
 * The allocation table of a year as XLSX: one row per recipient with population, share and
 * amount, then the sum (which equals the total to the krona) and a sheet explaining the rule.
 * @example const body = await allocationXlsx(year, await listLedger(db, year.id))
 */
export async function allocationXlsx(year: YearSummary, lines: LedgerLine[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Enkätnav';
  const sheet = workbook.addWorksheet('Fördelning', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { key: 'code', header: 'Kod', width: 8 },
    { key: 'name', header: 'Mottagare', width: 30 },
    { key: 'population', header: `Folkmängd ${year.population_year ?? ''}`.trim(), width: 14 },
    { key: 'share', header: 'Andel', width: 12, style: { numFmt: '0.000%' } },
    { key: 'amount', header: 'Belopp (kr)', width: 14, style: { numFmt: '# ##0' } },
    { key: 'floored', header: 'Lägsta belopp', width: 14 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const l of lines) {
    sheet.addRow({
      code: safeCell(l.code),
      name: safeCell(l.name),
      population: l.population,
      share: year.total_sek ? l.allocated_sek / year.total_sek : 0,
      amount: l.allocated_sek,
      floored: year.rule === 'population_floor' && l.allocated_sek === year.floor_sek ? 'ja' : '',
    });
  }
  const sum = lines.reduce((s, l) => s + l.allocated_sek, 0);
  sheet.addRow({ name: 'Summa', population: lines.reduce((s, l) => s + (l.population ?? 0), 0), share: year.total_sek ? sum / year.total_sek : 0, amount: sum }).font = { bold: true };
  const about = workbook.addWorksheet('Regel');
  about.columns = [{ width: 30 }, { width: 80 }];
  about.addRows([
    ['Program', safeCell(`${year.program_name} (${year.program_code})`)],
    ['År', year.year],
    ['Totalbelopp (kr)', year.total_sek],
    ['Regel', RULE_LABELS[year.rule]],
    ...(year.rule === 'population_floor'
      ? [
          ['Lägsta belopp (kr)', year.floor_sek],
          ['Folkmängd, år', year.population_year ?? ''],
          ['Beräkning', 'Mottagare vars andel efter folkmängd understiger lägsta beloppet får lägsta beloppet; resten fördelas efter folkmängd mellan övriga, om och om igen tills ingen fler hamnar under. Avrundat till hela kronor med största rest, så att summan blir exakt totalbeloppet.'],
        ]
      : [['Beräkning', 'Lika stora andelar, avrundade till hela kronor med största rest så att summan blir exakt totalbeloppet.']]),
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
