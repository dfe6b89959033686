import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveExportScope, writeExport, type ExportOptions } from '~/models/exports/export.server';
import { TRUNCATION_MARKER, XLSX_CELL_LIMIT } from '~/models/exports/writers.server';
import * as exportRoute from '~/routes/admin.omgangar.$id.export';
import { setDb } from '~/utils/db.server';
import { signedIn } from '../auth/helpers';
import { cli } from '../helpers/cli';
import { freshDb, type TestDb } from '../helpers/db';
import { callLoader } from '../helpers/request';
import { FULL_ANSWERS, SPARSE_ANSWERS, SURVEY_ID, roundWithResponses, useEveryTypeSurvey } from './fixtures';

// 14:05:09 UTC on 1 July 2019 is 16:05:09 in Stockholm (summer time); 1 January: 13:05 (winter time).
const SUMMER = '2019-07-01T14:05:09.000Z';
const WINTER = '2019-01-01T12:05:00.000Z';
const LONG = 'å'.repeat(XLSX_CELL_LIMIT + 500);

async function exportBuffer(t: TestDb, roundId: number, options: ExportOptions): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeExport(t.db, await resolveExportScope(t.db, { roundId }), options, out);
  return Buffer.concat(chunks);
}

describe('exports a Swedish analyst opens by double-click', () => {
  let t: TestDb;
  let roundId: number;
  let restoreSurveys: () => void;
  beforeAll(() => {
    restoreSurveys = useEveryTypeSurvey();
  });
  afterAll(() => restoreSurveys());
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    roundId = (await roundWithResponses(t.db, [{ code: '0114', data: FULL_ANSWERS, status: 'submitted' }, { code: '0180', data: SPARSE_ANSWERS, status: 'submitted' }])).id;
    const [first, second] = await t.db.selectFrom('responses').select('id').orderBy('id').execute();
    await t.db
      .updateTable('responses')
      .set({ submitted_at: SUMMER, last_saved_at: WINTER, data: JSON.stringify({ ...FULL_ANSWERS, antal: 2.5, kommentar: 'rad ett\nrad två', namn: '=1+1' }) })
      .where('id', '=', first.id)
      .execute();
    await t.db.updateTable('responses').set({ data: JSON.stringify({ ...SPARSE_ANSWERS, kommentar: LONG }) }).where('id', '=', second.id).execute();
  });
  afterEach(async () => t.destroy());

  it('CSV excel-sv: BOM, semicolons, decimal comma, CRLF; the default stays RFC 4180 with commas and points', async () => {
    const sv = (await exportBuffer(t, roundId, { format: 'csv', dialect: 'excel-sv' })).toString('utf8');
    expect(sv.startsWith('\uFEFFresponse_id;round_id;')).toBe(true);
    expect(sv).toContain('\r\n');
    const svRows = parse(sv, { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
    expect([svRows[0].antal, svRows[0].dubbelt, svRows[0].kommentar, svRows[0].namn]).toEqual(['2,5', '-4', 'rad ett\nrad två', "'=1+1"]);
    expect(svRows[1].kommentar).toBe(LONG); // CSV keeps the whole text

    const plain = (await exportBuffer(t, roundId, { format: 'csv' })).toString('utf8');
    expect(plain.startsWith('\uFEFFresponse_id,round_id,')).toBe(true);
    const rows = parse(plain, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows[0].antal).toBe('2.5');
    expect(rows[0].submitted_at).toBe(SUMMER);
  });

  it('XLSX: Stockholm date cells with a stated format, wrapped multi-line text, no visible guard apostrophe, long text cut with a marker', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportBuffer(t, roundId, { format: 'xlsx' })) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Svar')!;
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    const cell = (row: number, key: string) => sheet.getRow(row).getCell(headers.indexOf(key) + 1);

    const submitted = cell(2, 'submitted_at');
    expect(submitted.type).toBe(ExcelJS.ValueType.Date);
    expect((submitted.value as Date).toISOString()).toBe('2019-07-01T16:05:09.000Z'); // wall-clock time in Sweden
    expect(submitted.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect((cell(2, 'last_saved_at').value as Date).toISOString()).toBe('2019-01-01T13:05:00.000Z');

    expect(cell(2, 'kommentar').value).toBe('rad ett\nrad två');
    expect(cell(2, 'kommentar').alignment?.wrapText).toBe(true);
    expect(cell(2, 'organisation_name').alignment?.wrapText).toBeFalsy();

    const formula = cell(2, 'namn');
    expect(formula.type).toBe(ExcelJS.ValueType.String);
    expect(formula.value).toBe('=1+1');

    const long = cell(3, 'kommentar').value as string;
    expect(long).toHaveLength(XLSX_CELL_LIMIT);
    expect(long.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(long.startsWith('ååå')).toBe(true);

    const book = wb.getWorksheet('Kodbok')!;
    const texts: string[] = [];
    book.eachRow((row) => texts.push((row.values as unknown[]).filter((v) => typeof v === 'string').join(' | ')));
    expect(texts.find((x) => x.startsWith('submitted_at'))).toMatch(/svensk tid \(Europe\/Stockholm\), cellformat yyyy-mm-dd hh:mm:ss/);
    expect(texts.find((x) => x.startsWith('Obs'))).toMatch(/högst 32\s767 tecken.*avkortas.*CSV-exporten har hela texten/);
  });

  it('the download page offers both CSV dialects; the route answers an unknown format with a Swedish 400', async () => {
    const admin = await signedIn(t.db, 'admin');
    const params = { id: String(roundId) };
    const sv = (await callLoader(exportRoute.loader, `/admin/omgangar/${roundId}/export?format=csv&dialect=excel-sv`, { params, headers: admin.headers })) as Response;
    expect(sv.status).toBe(200);
    expect(Buffer.from(await sv.arrayBuffer()).toString('utf8').startsWith('\uFEFFresponse_id;')).toBe(true);
    for (const query of ['format=pdf', 'format=XLSX', 'format=csv&dialect=excel']) {
      const bad = (await callLoader(exportRoute.loader, `/admin/omgangar/${roundId}/export?${query}`, { params, headers: admin.headers })) as Response;
      expect(bad.status, query).toBe(400);
      expect(await bad.text()).toMatch(/^Okänt filformat|^Okänd CSV-variant/);
    }
    const source = fs.readFileSync('app/routes/admin.omgangar.$id.tsx', 'utf8');
    expect(source).toContain('/export?format=csv&dialect=excel-sv');
  });

  it('the CLI takes --dialect excel-sv, and refuses an unknown dialect or one with XLSX', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-dialect-'));
    try {
      const file = path.join(dir, 'svar.csv');
      expect((await cli(t, 'export', '--survey', SURVEY_ID, '--format', 'csv', '--dialect', 'excel-sv', '--out', file)).code).toBe(0);
      expect(fs.readFileSync(file, 'utf8').startsWith('\uFEFFresponse_id;round_id;')).toBe(true);
      const bad = await cli(t, 'export', '--survey', SURVEY_ID, '--format', 'csv', '--dialect', 'semicolon', '--out', file);
      expect(bad).toMatchObject({ code: 1 });
      expect(bad.stderr).toMatch(/--dialect must be rfc4180 or excel-sv/);
      const xlsx = await cli(t, 'export', '--survey', SURVEY_ID, '--format', 'xlsx', '--dialect', 'excel-sv', '--out', path.join(dir, 'x.xlsx'));
      expect(xlsx.stderr).toMatch(/--dialect applies to --format csv only/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
