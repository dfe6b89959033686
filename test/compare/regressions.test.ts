import { afterEach, describe, expect, it } from 'vitest';
import { createJointReport } from '../../app/models/rounds/joint.server';
import { roundRates } from '../../app/models/rounds/status.server';
import { computeComparison } from '../../app/models/comparisons/compute.server';
import { percentOf } from '../../app/models/comparisons/assemble';
import { formatPercentSv } from '../../app/models/comparisons/policy';
import { parseDefinition } from '../../app/models/comparisons/saved.server';
import { tableXlsx } from '../../app/models/comparisons/export.server';
import ExcelJS from 'exceljs';
import { freshDb, type TestDb } from '../helpers/db';
import { cli, kommuner, writeCsv } from './fixtures';

/** Issue 16's defects, one regression test each (the published figures are in published.test.ts). */

describe('rounding once, from the exact ratio', () => {
  it('Tabell 10: 10/29 → 34 and 46/52 → 88 in whole percent; source 004 at two decimals', () => {
    expect([percentOf(10, 29, 0), percentOf(46, 52, 0), percentOf(46, 52, 1)]).toEqual([34, 88, 88.5]);
    expect([31, 7, 5].map((c) => formatPercentSv(percentOf(c, 43, 2), 2))).toEqual(['72,09', '16,28', '11,63']);
    expect(percentOf(1, 0, 0)).toBeNull();
  });
});

describe('imports, joint reports and numeric measures', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('an imported round is measured against the whole population: 270 rows of 290 kommuner → 270/290', async () => {
    t = await freshDb();
    const all = await kommuner(t);
    const rows = all.slice(0, 270).map((k) => ({ org: k.code, fortbildning_vuxna: 'ja' }));
    const res = await cli(t, 'import-responses', '--survey', 'oj-vinr-2019', writeCsv(rows, 'oj.csv'));
    expect(res.code).toBe(0);
    const round = await t.db.selectFrom('rounds').select(['id', 'reminder_schedule']).where('survey_id', '=', 'oj-vinr-2019').executeTakeFirstOrThrow();
    expect(JSON.parse(round.reminder_schedule)).toEqual([]); // history: nobody is reminded
    const { overall } = await roundRates(t.db, round.id);
    expect(overall).toMatchObject({ total: 290, submitted: 270 });
    expect(Math.round(overall.rate * 100)).toBe(93);
  });

  it('a joint report counts yes/no for each member but its amount once, and says so', async () => {
    t = await freshDb();
    const [lead, m1, m2, other] = ['2401', '2403', '2404', '0180'];
    const report = (org: string, amount: number, used: number) => ({ org, beviljat_belopp: amount, forbrukat_belopp: used, ledningssystem: 'ja' });
    const imp = await cli(t, 'import-responses', '--survey', 'aterrapportering-kommun-2018', writeCsv([report(lead, 240_000, 180_000), report(other, 100_000, 100_000)], 'r.csv'));
    expect(imp.stderr).toBe('');
    const round = await t.db.selectFrom('rounds').select('id').where('survey_id', '=', 'aterrapportering-kommun-2018').executeTakeFirstOrThrow();
    await createJointReport(t.db, { roundId: round.id, leadCode: lead, memberCodes: [m1, m2] });
    const money = await computeComparison(t.db, parseDefinition({ title: 'b', measure: { survey: 'aterrapportering-kommun-2018', question: 'beviljat_belopp', ratioTo: 'forbrukat_belopp' } }));
    expect(money.jointMembers).toBe(2);
    expect(money.total.stats).toMatchObject({ sum: 340_000, count: 2 }); // not 820 000 from 4 copies
    // Ratio of sums: 340 000 / 280 000, not a mean of ratios.
    expect(money.total.stats?.ratio).toBe(121);
    expect(money.policy.jointAmounts).toBe('once');
    expect(money.policy.notes.join(' ')).toMatch(/räknas en gång/);
    const yesNo = await computeComparison(t.db, parseDefinition({ title: 'l', measure: { survey: 'aterrapportering-kommun-2018', question: 'ledningssystem' } }));
    expect(yesNo.total.counts.ja).toBe(4); // the answer applies to each member
  });

  it('the XLSX table keeps the precision as a number format (a comma in Swedish Excel) and lists the policy', async () => {
    t = await freshDb();
    const all = await kommuner(t);
    await cli(t, 'import-responses', '--survey', 'oj-vinr-2019', writeCsv(all.slice(0, 43).map((k, i) => ({ org: k.code, fortbildning_vuxna: i < 31 ? 'ja' : 'nej' })), 'oj.csv'));
    const r = await computeComparison(t.db, parseDefinition({ title: 'x', measure: { survey: 'oj-vinr-2019', question: 'fortbildning_vuxna' }, precision: 2 }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await tableXlsx(r, 'Källa: x', 'not')) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = ws.getRow(5).values as unknown[];
    const col = header.indexOf('percent_ja');
    expect(ws.getRow(6).getCell(col).value).toBe(72.09); // 31 of the 43 who answered
    expect(ws.getRow(6).getCell(col).numFmt).toBe('0.00');
    expect(JSON.stringify(ws.getSheetValues())).toContain('Andelar med 2 decimaler');
  });
});
