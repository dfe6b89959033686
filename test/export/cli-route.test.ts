import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as exportRoute from '~/routes/admin.omgangar.$id.export';
import { setDb } from '~/utils/db.server';
import { signedIn } from '../auth/helpers';
import { cli } from '../helpers/cli';
import { freshDb, type TestDb } from '../helpers/db';
import { callLoader } from '../helpers/request';
import { FULL_ANSWERS, SPARSE_ANSWERS, SURVEY_ID, roundWithResponses, useEveryTypeSurvey } from './fixtures';

describe('export CLI and admin download', () => {
  let t: TestDb;
  let dir: string;
  let roundId: number;
  let restoreSurveys: () => void;
  beforeAll(() => {
    restoreSurveys = useEveryTypeSurvey();
  });
  afterAll(() => restoreSurveys());
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-export-'));
    roundId = (await roundWithResponses(t.db, [{ code: '0114', data: FULL_ANSWERS, status: 'submitted' }, { code: '0180', data: SPARSE_ANSWERS, status: 'draft' }])).id;
  });
  afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await t.destroy();
  });

  it('writes CSV and XLSX files and says how many responses', async () => {
    const csvFile = path.join(dir, 'svar.csv');
    const csv = await cli(t, 'export', '--survey', SURVEY_ID, '--round', String(roundId), '--format', 'csv', '--out', csvFile);
    expect(csv).toMatchObject({ code: 0, stdout: `2 responses of ${SURVEY_ID} (round ${roundId}) written to ${csvFile}.` });
    const rows = parse(fs.readFileSync(csvFile, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.organisation_code, r.val, r['flera.z']])).toEqual([['0114', 'other', '1'], ['0180', 'b', '']]);

    const xlsxFile = path.join(dir, 'svar.xlsx');
    expect((await cli(t, 'export', '--survey', SURVEY_ID, '--format', 'xlsx', '--labels', '--out', xlsxFile)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxFile);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Svar', 'Kodbok']);
    const sheet = wb.getWorksheet('Svar')!;
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    expect(sheet.getRow(2).getCell(headers.indexOf('lista') + 1).value).toBe('Engelska');
  });

  it('fails in English on an unknown survey or round, a round of another survey, bad options and an unwritable path', async () => {
    const out = path.join(dir, 'x.csv');
    const cases: [string[], RegExp][] = [
      [['--survey', 'nope-2020', '--format', 'csv', '--out', out], /Unknown survey "nope-2020"\. Known: exporttest-2020/],
      [['--survey', SURVEY_ID, '--round', '999', '--format', 'csv', '--out', out], /Unknown round 999\./],
      [['--survey', SURVEY_ID, '--round', 'abc', '--format', 'csv', '--out', out], /Round id must be a positive whole number/],
      [['--survey', SURVEY_ID, '--format', 'pdf', '--out', out], /--format must be csv or xlsx/],
      [['--survey', SURVEY_ID, '--format', 'csv'], /--out <file> is required/],
      [['--format', 'csv', '--out', out], /--survey <id> is required/],
      [['--survey', SURVEY_ID, '--format', 'csv', '--out', path.join(dir, 'no-such-dir', 'x.csv')], /Cannot write .*no-such-dir.*: ENOENT/],
      [['--survey', SURVEY_ID, '--format', 'csv', '--out', dir], /Cannot write .*: EISDIR/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(t, 'export', ...args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(fs.existsSync(out)).toBe(false);
    // A round of another survey.
    const other = await t.db
      .insertInto('rounds')
      .values({ survey_id: 'oj-vinr-2019', title: 'Annan', opens_at: '2026-01-01T00:00:00.000Z', closes_at: '2026-02-01T00:00:00.000Z', closed_at: null, reminder_schedule: '[]', contact_text: null, created_by: null, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mismatch = await cli(t, 'export', '--survey', SURVEY_ID, '--round', String(other.id), '--format', 'csv', '--out', out);
    expect(mismatch.stderr).toMatch(new RegExp(`Round ${other.id} belongs to survey "oj-vinr-2019", not "${SURVEY_ID}"`));
  });

  it('the admin route streams the round as XLSX or CSV; evaluators get 403, unknown rounds 404', async () => {
    const admin = await signedIn(t.db, 'admin');
    const params = { id: String(roundId) };
    const res = (await callLoader(exportRoute.loader, `/admin/omgangar/${roundId}/export?format=xlsx&labels=1`, { params, headers: admin.headers })) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('Content-Disposition')).toMatch(new RegExp(`^attachment; filename="svar-${SURVEY_ID}-omgang-${roundId}-etiketter-\\d{4}-\\d{2}-\\d{2}\\.xlsx"$`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.getWorksheet('Svar')!;
    expect(sheet.rowCount).toBe(3);
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    expect(sheet.getRow(2).getCell(headers.indexOf('status') + 1).value).toBe('Inskickad');

    const csv = (await callLoader(exportRoute.loader, `/admin/omgangar/${roundId}/export?format=csv`, { params, headers: admin.headers })) as Response;
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const rows = parse(await csv.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.status)).toEqual(['submitted', 'draft']);

    const evaluator = await signedIn(t.db, 'evaluator');
    expect(((await callLoader(exportRoute.loader, `/admin/omgangar/${roundId}/export?format=csv`, { params, headers: evaluator.headers })) as Response).status).toBe(403);
    const stranger = (await callLoader(exportRoute.loader, `/admin/omgangar/${roundId}/export?format=csv`, { params })) as Response;
    expect(stranger.status).toBe(302);
    expect(((await callLoader(exportRoute.loader, '/admin/omgangar/999/export', { params: { id: '999' }, headers: admin.headers })) as Response).status).toBe(404);
    expect(((await callLoader(exportRoute.loader, '/admin/omgangar/abc/export', { params: { id: 'abc' }, headers: admin.headers })) as Response).status).toBe(404);
  });
});
