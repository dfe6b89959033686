import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as yearPage from '~/routes/admin.medel.$yearId._index';
import { setDb } from '~/utils/db.server';
import { listLedger } from '../../app/models/grants/ledger.server';
import { cli } from '../admin/fixtures';
import { signedIn, type TestSession } from '../auth/helpers';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction } from '../helpers/request';
import { kommunYear2018 } from './fixtures';

type Result = { ok: boolean; message: string; imported?: number; rowErrors?: { line: number; column: string; message: string }[] };

describe('the ledger import (browser upload and import-grants --year)', () => {
  let t: TestDb;
  let admin: TestSession;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    admin = await signedIn(t.db, 'admin', { email: 'admin@myndighet.se' });
  });
  afterEach(async () => t.destroy());

  const upload = async (yearId: number, file: File) => {
    const fd = new FormData();
    fd.append('csrf', admin.csrf);
    fd.append('file', file);
    const res = await callAction(yearPage.action, `/admin/medel/${yearId}`, { params: { yearId: String(yearId) }, headers: admin.headers, body: fd });
    if (res instanceof Response) return { status: res.status, data: (await res.json()) as Result };
    return { status: 200, data: res as Result };
  };
  const snapshot = async (yearId: number) => JSON.stringify(await t.db.selectFrom('grant_ledger').selectAll().where('grant_year_id', '=', yearId).orderBy('id').execute());

  it('imports a good CSV over HTTP: facts stored, statuses derived, audited', async () => {
    const { year, lines } = await kommunYear2018(t.db);
    const amount = (code: string) => lines.find((l) => l.code === code)!.amount;
    const csv = ['org;requested_sek;paid_sek;paid_at;used_sek;repaid_sek', `0114;${amount('0114')};${amount('0114')};2018-02-15;${amount('0114') - 5000};5000`, `0115;${amount('0115')};${amount('0115')};2018-02-15;0;${amount('0115')}`, `0117;${amount('0117')};;;;`].join('\n');
    const { status, data } = await upload(year.id, new File([csv], 'register.csv', { type: 'text/csv' }));
    expect(status).toBe(200);
    expect(data).toMatchObject({ ok: true, imported: 3, message: 'Registret lästes in: 3 rader.' });
    const ledger = await listLedger(t.db, year.id);
    const line = (c: string) => ledger.find((l) => l.code === c)!;
    expect(['0114', '0115', '0117', '0120'].map((c) => line(c).status)).toEqual(['forbrukat', 'aterbetalt', 'vantar', 'ej_rekvirerat']);
    expect(line('0114')).toMatchObject({ paid_sek: amount('0114'), used_sek: amount('0114') - 5000, repaid_sek: 5000 });
    expect(line('0114').paid_at).toBe('2018-02-15T12:00:00.000Z');
    const grants = await t.db.selectFrom('grants as g').innerJoin('organisations as o', 'o.id', 'g.organisation_id').select(['o.code', 'g.status']).where('o.code', 'in', ['0114', '0115']).orderBy('o.code').execute();
    expect(grants.map((g) => g.status)).toEqual(['forbrukat', 'aterbetalt']);
    const log = await t.db.selectFrom('audit_log').selectAll().where('action', 'like', 'grant.ledger.import%').orderBy('id').execute();
    expect(log.map((l) => l.action)).toEqual(['grant.ledger.import', 'grant.ledger.import', 'grant.ledger.import', 'grant.ledger.import_file']);
    expect(log[3]).toMatchObject({ actor_user_id: admin.user.id, reason: 'Import från register.csv' });
    expect(JSON.parse(log[3].after!)).toMatchObject({ rows: 3, changed: 3, source: 'register.csv' });
    expect(JSON.parse(log[0].before!)).toMatchObject({ paid_sek: null, used_sek: null });
  });

  it('imports a good XLSX over HTTP', async () => {
    const { year, lines } = await kommunYear2018(t.db);
    const a = lines.find((l) => l.code === '0180')!.amount;
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Register');
    sheet.addRow(['org', 'requested_sek', 'paid_sek', 'paid_at', 'used_sek']);
    sheet.addRow(['0180', a, a, '2018-03-01', a]);
    const file = new File([Buffer.from(await book.xlsx.writeBuffer())], 'register.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const { status, data } = await upload(year.id, file);
    expect(status).toBe(200);
    expect(data).toMatchObject({ ok: true, imported: 1 });
    const row = (await listLedger(t.db, year.id)).find((l) => l.code === '0180')!;
    expect(row).toMatchObject({ status: 'forbrukat', paid_sek: a, used_sek: a });
  });

  it('refuses a bad file as a whole with a Swedish report per row and column; nothing stored', async () => {
    const { year, lines } = await kommunYear2018(t.db);
    const a = lines.find((l) => l.code === '0114')!.amount;
    const before = await snapshot(year.id);
    const audits = (await t.db.selectFrom('audit_log').select('id').execute()).length;
    const csv = ['org,paid_sek,used_sek,repaid_sek,paid_at', `0114,${a},${a},,2018-02-15`, '9999,1000,0,,', '0115,-500,,,', '0117,1000,2000,,', '0120,1000,,,15/2 2018', `0114,${a},,,`].join('\n');
    const { status, data } = await upload(year.id, new File([csv], 'fel.csv'));
    expect(status).toBe(400);
    expect(data.ok).toBe(false);
    expect(data.message).toBe('Inget lästes in: 5 rader har fel. Rätta filen och försök igen.');
    expect(data.rowErrors).toEqual([
      { line: 3, column: 'org', message: 'Okänd organisationskod "9999".' },
      { line: 4, column: 'paid_sek', message: 'Måste vara ett helt antal kronor, 0 eller mer (inte "-500").' },
      { line: 5, column: 'used_sek', message: 'Förbrukat (2000 kr) kan inte vara mer än utbetalt (1000 kr).' },
      { line: 6, column: 'paid_at', message: 'Ange datum som ÅÅÅÅ-MM-DD (inte "15/2 2018").' },
      { line: 7, column: 'org', message: 'Organisationen finns redan på rad 2.' },
    ]);
    expect(await snapshot(year.id)).toBe(before);
    expect((await t.db.selectFrom('audit_log').select('id').execute()).length).toBe(audits);
  });

  it('refuses a wrong file type, an empty upload and a file over 2 MB with a Swedish message', async () => {
    const { year } = await kommunYear2018(t.db);
    expect(await upload(year.id, new File(['x'], 'register.pdf'))).toMatchObject({ status: 400, data: { ok: false, message: /kunde inte läsas/ } });
    expect(await upload(year.id, new File([], 'tom.csv'))).toMatchObject({ status: 400, data: { message: 'Välj en CSV- eller XLSX-fil att läsa in.' } });
    const big = new File(['org,paid_sek\n' + '0114,1\n'.repeat(400_000)], 'stor.csv');
    expect(await upload(year.id, big)).toMatchObject({ status: 413, data: { message: 'Filen är för stor: högst 2 MB.' } });
    expect(await upload(year.id, new File(['kommun;belopp\n0114;1\n'], 'k.csv'))).toMatchObject({ status: 400, data: { rowErrors: [{ line: 1, column: 'org' }] } });
  });

  it('import-grants --year runs the same import and prints the English row report', async () => {
    const { year, lines } = await kommunYear2018(t.db);
    const a = lines.find((l) => l.code === '0114')!.amount;
    const fs = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-'));
    await fs.writeFile(path.join(dir, 'bad.csv'), `org,paid_sek,used_sek\n0114,${a},${a + 1}\n9999,1,\n`);
    const bad = await cli(t, 'import-grants', '--year', String(year.id), path.join(dir, 'bad.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`line 2, used_sek: used_sek (${a + 1}) exceeds paid_sek (${a})`);
    expect(bad.stderr).toContain('line 3, org: unknown organisation code "9999"');
    await fs.writeFile(path.join(dir, 'good.csv'), `org,requested_sek,paid_sek\n0114,${a},${a}\n`);
    const good = await cli(t, 'import-grants', '--year', String(year.id), path.join(dir, 'good.csv'));
    expect(good).toMatchObject({ code: 0, stdout: `Imported 1 ledger row(s) into grant year ${year.id} (0 new).` });
    expect((await listLedger(t.db, year.id)).find((l) => l.code === '0114')).toMatchObject({ status: 'vantar', paid_sek: a });
    await fs.rm(dir, { recursive: true });
  });
});
