import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STATUS_LABELS } from '~/utils/admin-labels';
import { listStatusPage, missingList, roundRates } from '~/models/rounds/status.server';
import { missingListCsv, missingListXlsx } from '~/models/rounds/missing-list.server';
import { freshDb, type TestDb } from '../helpers/db';
import { createRound } from '~/models/rounds/rounds.server';
import { kommunIds, statusFixture } from './fixtures';

describe('round status', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => t.destroy());

  it('rates overall, by län and by kommungrupp match the hand count', async () => {
    const round = await statusFixture(t.db);
    const rates = await roundRates(t.db, round.id);
    expect(rates.overall).toMatchObject({ total: 34, submitted: 4, started: 2 });
    expect(rates.overall.rate).toBeCloseTo(4 / 34);
    expect(rates.byStatus).toEqual({ not_started: 28, draft: 2, submitted: 4, reopened: 0 });
    expect(rates.byLan.map((r) => [r.code, r.name, r.total, r.submitted, r.started])).toEqual([
      ['01', 'Stockholms län', 26, 3, 1],
      ['03', 'Uppsala län', 8, 1, 1],
    ]);
    // 01+03 by SKR 2017: A1 Stockholm; A2 23 incl. 0114, 0115 (submitted), 0117, 0305 (drafts); B3 2 incl. Uppsala.
    expect(rates.byKommungrupp.map((r) => [r.code, r.total, r.submitted, r.started])).toEqual([
      ['A1', 1, 1, 0],
      ['A2', 23, 2, 2],
      ['B3', 2, 1, 0],
      ['B4', 5, 0, 0],
      ['B5', 2, 0, 0],
      ['C6', 1, 0, 0],
    ]);
  });

  it('filters the list by status, län and kommungrupp', async () => {
    const round = await statusFixture(t.db);
    const codes = async (filter: Parameters<typeof listStatusPage>[2]) => (await listStatusPage(t.db, round.id, filter)).rows.map((r) => r.code);
    expect((await listStatusPage(t.db, round.id, {})).total).toBe(34);
    expect((await listStatusPage(t.db, round.id, { status: 'missing' })).total).toBe(30);
    expect((await listStatusPage(t.db, round.id, { status: 'missing', lan: '03' })).total).toBe(7);
    expect(await codes({ status: 'draft', kg: 'A2' })).toEqual(['0117', '0305']);
    expect(await codes({ status: 'submitted', kg: 'A1' })).toEqual(['0180']);
    expect(await codes({ status: 'submitted', lan: '03' })).toEqual(['0380']);
    expect(await codes({ lan: 'none' })).toEqual([]);
    const page = await listStatusPage(t.db, round.id, { status: 'submitted' });
    const sthlm = page.rows.find((r) => r.code === '0180')!;
    expect(sthlm).toMatchObject({ name: 'Stockholm', status: 'submitted', submittedBy: 'anna@kommun.se', lanCode: '01', kommungrupp: 'A1', reminders: 0 });
    expect(sthlm.submittedAt).toBeTruthy();
  });

  it('pages 200 rows at a time and clamps the page number', async () => {
    const round = await statusFixture(t.db);
    const page = await listStatusPage(t.db, round.id, {}, 99);
    expect(page).toMatchObject({ page: 1, pages: 1, total: 34 });
    expect(page.rows).toHaveLength(34);
    expect(page.rows.map((r) => r.code)).toEqual([...page.rows.map((r) => r.code)].sort());
  });

  it('splits 290 kommuner into pages of 200 in code order', async () => {
    const { round } = await createRound(t.db, {
      surveyId: 'oj-vinr-2019', title: 'Alla', opensAt: '2019-01-23T00:00:00Z', closesAt: '2019-03-15T23:00:00Z',
      organisationIds: await kommunIds(t.db, (await t.db.selectFrom('lan').select('code').execute()).map((l) => l.code)),
    });
    const first = await listStatusPage(t.db, round.id, {}, 1);
    const second = await listStatusPage(t.db, round.id, {}, 2);
    expect([first.total, first.pages, first.rows.length, second.page, second.rows.length]).toEqual([290, 2, 200, 2, 90]);
    const codes = [...first.rows, ...second.rows].map((r) => r.code!);
    expect(new Set(codes).size).toBe(290);
    expect(codes).toEqual([...codes].sort());
  });

  it('counts reminders from the outbox and lists contacts', async () => {
    const round = await statusFixture(t.db);
    const [a] = await t.db.selectFrom('assignments as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select(['a.id', 'o.id as org']).where('o.code', '=', '0305').where('a.round_id', '=', round.id).execute();
    const now = new Date().toISOString();
    const message = (status: 'sent' | 'failed', step: string) => ({
      kind: 'reminder', to_address: 'x@habo.se', subject: 's', text_body: 't', html_body: null, dedupe_key: `reminder:${a.id}:${step}`,
      assignment_id: a.id, status, next_attempt_at: now, created_at: now, updated_at: now,
    });
    await t.db.insertInto('outbox').values([message('sent', '-14'), message('sent', '-3'), message('failed', '2')]).execute();
    await t.db.insertInto('contacts').values({ organisation_id: a.org, name: 'Bo Ek', email: 'bo@habo.se', role: 'socialchef', created_at: now, updated_at: now }).execute();
    const row = (await listStatusPage(t.db, round.id, { lan: '03', status: 'draft' })).rows[0];
    expect(row.reminders).toBe(2);
    expect(row.contacts).toEqual([{ name: 'Bo Ek', email: 'bo@habo.se', role: 'socialchef' }]);
  });

  it('exports the missing list as CSV and XLSX that read back to the same rows, formula-safe', async () => {
    const round = await statusFixture(t.db);
    const org = await t.db.selectFrom('organisations').select('id').where('code', '=', '0381').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    await t.db.insertInto('contacts').values({ organisation_id: org.id, name: '=HYPERLINK("http://evil")', email: 'a@enkoping.se', role: '+roll', created_at: now, updated_at: now }).execute();

    const rows = await missingList(t.db, round.id);
    expect(rows).toHaveLength(30);
    expect(rows.map((r) => r.code)).not.toContain('0180');

    const csv = parse(missingListCsv(rows, STATUS_LABELS), { bom: true, columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r.Kod)).toEqual(rows.map((r) => r.code));
    const enk = csv.find((r) => r.Kod === '0381')!;
    expect(enk).toMatchObject({ 'Organisation/person': 'Enköping', Status: 'Inte påbörjad', Kontakter: `'=HYPERLINK("http://evil")`, 'Kontakternas roller': "'+roll" });
    expect(csv.find((r) => r.Kod === '0117')!.Status).toBe('Utkast sparat');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await missingListXlsx(rows, STATUS_LABELS, 'ÖJ')) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.rowCount).toBe(31);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header[0]).toBe('Kod');
    const codes: string[] = [];
    sheet.eachRow((r, i) => {
      if (i > 1) codes.push(String(r.getCell(1).value));
    });
    expect(codes).toEqual(rows.map((r) => r.code));
    const enkRow = sheet.getRows(2, 30)!.find((r) => r.getCell(1).value === '0381')!;
    expect(enkRow.getCell(9).value).toBe('=HYPERLINK("http://evil")'); // a string cell: shown as is, never run
    expect(enkRow.getCell(9).formula).toBeUndefined();
  });
});
