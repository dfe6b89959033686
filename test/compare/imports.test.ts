import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db';
import { cli, PROGRAM, writeCsv, writeJson } from './fixtures';

const count = async (t: TestDb, table: 'grants' | 'answer_values' | 'responses' | 'rounds') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('import-grants', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('refuses the whole file and lists every bad row with its line number', async () => {
    t = await freshDb();
    const file = writeCsv(
      [
        { org: '0114', program: PROGRAM, year: 2018, status: 'forbrukat', allocated_sek: 100, used_sek: 80, repaid_sek: 20 },
        { org: '9999', program: PROGRAM, year: 2018, status: 'forbrukat', allocated_sek: 100, used_sek: 80, repaid_sek: 20 },
        { org: '0115', program: PROGRAM, year: 2018, status: 'anvant', allocated_sek: 100, used_sek: 80, repaid_sek: 20 },
        { org: '0117', program: PROGRAM, year: 2018, status: 'forbrukat', allocated_sek: 100, used_sek: 80, repaid_sek: 10 },
        { org: '0120', program: PROGRAM, year: 2018, status: 'aterbetalt', allocated_sek: 100, used_sek: 50, repaid_sek: 50 },
      ],
      'bad.csv',
    );
    const res = await cli(t, 'import-grants', file);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/nothing was changed/);
    expect(res.stderr).toMatch(/line 3: unknown org "9999"/);
    expect(res.stderr).toMatch(/line 4: bad status "anvant"/);
    expect(res.stderr).toMatch(/line 5: used_sek \+ repaid_sek \(90\) must equal allocated_sek \(100\)/);
    expect(res.stderr).toMatch(/line 6: status aterbetalt requires used_sek = 0/);
    expect(res.stderr).not.toMatch(/line 2:/);
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await count(t, 'grants')).toBe(0);
  });

  it('re-importing the same (org, program, year) replaces it; XLSX works like CSV', async () => {
    t = await freshDb();
    const first = writeCsv([{ org: '0114', program: PROGRAM, year: 2018, status: 'forbrukat', allocated_sek: 100, used_sek: 80, repaid_sek: 20 }], 'a.csv');
    expect((await cli(t, 'import-grants', first)).stdout).toMatch(/Imported 1 grant row\(s\) \(0 replaced\)/);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('medel');
    ws.addRow(['org', 'program', 'year', 'status', 'allocated_sek', 'used_sek', 'repaid_sek']);
    ws.addRow(['0114', PROGRAM, 2018, 'aterbetalt', 100, 0, 100]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-')), 'b.xlsx');
    await wb.xlsx.writeFile(file);
    const res = await cli(t, 'import-grants', file);
    expect(res.stdout).toMatch(/\(1 replaced\)/);
    const rows = await t.db.selectFrom('grants').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'aterbetalt' });
    expect(Number(rows[0].used_sek)).toBe(0);
  });

  it('the database itself refuses a ledger row that breaks the rules', async () => {
    t = await freshDb();
    const org = await t.db.selectFrom('organisations').select('id').where('code', '=', '0114').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    await expect(
      t.db.insertInto('grants').values({ organisation_id: org.id, program: 'p', year: 2018, status: 'forbrukat', allocated_sek: 10, used_sek: 5, repaid_sek: 1, created_at: now, updated_at: now }).execute(),
    ).rejects.toThrow();
  });
});

describe('import-responses', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('validates each row against the survey and changes nothing when a row is bad', async () => {
    t = await freshDb();
    const file = writeCsv(
      [
        { org: '0114', fortbildning_vuxna: 'ja', systematisk_uppfoljning: '' },
        { org: '0115', fortbildning_vuxna: 'kanske', systematisk_uppfoljning: 'ja' },
        { org: '0114', fortbildning_vuxna: 'nej', systematisk_uppfoljning: '' },
      ],
      'oj.csv',
    );
    const res = await cli(t, 'import-responses', '--survey', 'oj-vinr-2019', file);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 3: fortbildning_vuxna/);
    expect(res.stderr).toMatch(/line 4: org 0114 is also on line 2/);
    expect(await count(t, 'responses')).toBe(0);
    expect(await count(t, 'rounds')).toBe(0);
  });

  it('refuses unknown columns and surveys in English', async () => {
    t = await freshDb();
    const res = await cli(t, 'import-responses', '--survey', 'oj-vinr-2019', writeCsv([{ org: '0114', nope: 'ja' }], 'x.csv'));
    expect(res.stderr).toMatch(/unknown question column\(s\) for oj-vinr-2019: nope/);
    const res2 = await cli(t, 'import-responses', '--survey', 'no-such-2019', writeCsv([{ org: '0114' }], 'x.csv'));
    expect(res2.stderr).toMatch(/Unknown survey "no-such-2019"/);
  });

  it('stores submitted responses in a round, projects them, and multiple choice splits on ";"', async () => {
    t = await freshDb();
    const file = writeCsv([{ org: '0114', utsatta_grupper: 'missbruk;unga_kvinnor', beviljat_belopp: '120000' }], 'r.csv');
    const res = await cli(t, 'import-responses', '--survey', 'aterrapportering-kommun-2018', file);
    expect(res.stdout).toMatch(/1 new/);
    const values = await t.db.selectFrom('answer_values').select(['question', 'value', 'num']).orderBy('question').orderBy('value').execute();
    expect(values).toEqual([
      { question: 'beviljat_belopp', value: '120000', num: 120000 },
      { question: 'utsatta_grupper', value: 'missbruk', num: null },
      { question: 'utsatta_grupper', value: 'unga_kvinnor', num: null },
    ]);
    const a = await t.db.selectFrom('assignments as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select('a.status').where('o.code', '=', '0114').executeTakeFirstOrThrow();
    expect(a.status).toBe('submitted');
  });
});

describe('bad definitions give a clear English error (exit 1, no stack trace)', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  const cases: [string, unknown, RegExp][] = [
    ['unknown survey', { title: 'x', measure: { survey: 'nope-2019', question: 'a' } }, /Unknown survey "nope-2019"/],
    ['unknown question', { title: 'x', measure: { survey: 'oj-vinr-2019', question: 'nope' } }, /Unknown question "nope" in survey "oj-vinr-2019"/],
    ['unknown attribute', { title: 'x', measure: { survey: 'oj-vinr-2019', question: 'fortbildning_vuxna' }, groupBy: { attribute: 'kommunfarg' } }, /groupBy/],
    ['free text question', { title: 'x', measure: { survey: 'oj-vinr-2019', question: 'ovriga_kommentarer' } }, /only single choice, multiple choice and numeric/],
    ['no answers yet', { title: 'x', measure: { survey: 'oj-vinr-2019', question: 'fortbildning_vuxna' } }, /No submitted answers/],
    ['grouping with no data', { title: 'x', measure: { grant: { program: PROGRAM, year: 2018 } }, groupBy: { grant: { program: PROGRAM, year: 1999 } } }, /No grant data for program/],
    ['not JSON', '{ nope', /not valid JSON/],
    ['missing title', { measure: { survey: 'oj-vinr-2019', question: 'a' } }, /title/],
  ];
  for (const [name, definition, message] of cases) {
    it(name, async () => {
      t = await freshDb();
      await cli(t, 'import-grants', writeCsv([{ org: '0114', program: PROGRAM, year: 2018, status: 'forbrukat', allocated_sek: 1, used_sek: 1, repaid_sek: 0 }], 'g.csv'));
      const file = writeJson(typeof definition === 'string' ? null : definition);
      if (typeof definition === 'string') fs.writeFileSync(file, definition);
      const res = await cli(t, 'compare', file);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
