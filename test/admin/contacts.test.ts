import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContactColumnsError, contactsByOrganisation, importContacts } from '~/models/organisations/contacts.server';
import { readTabular } from '~/utils/tabular.server';
import { freshDb, type TestDb } from '../helpers/db';

const CSV = `org,name,email,role
0114,Anna Berg,Anna.Berg@upplandsvasby.se,socialchef
9999,Okänd Person,okand@example.se,
0115,,utan.namn@vallentuna.se,
0180,Bo Ek,inte-en-adress,
,Ingen Org,ingen@example.se,
Uppsala,Cia Lund,cia@uppsala.se,kvinnofridssamordnare
0114,Anna Berg igen,anna.berg@upplandsvasby.se,
0180,Dan Ås,,
`;

describe('contacts import', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => t.destroy());

  it('imports the good rows and reports each bad row with its line', async () => {
    const result = await importContacts(t.db, await readTabular(Buffer.from(CSV), 'kontakter.csv'), { actorUserId: null, source: 'kontakter.csv' });
    expect(result.created).toBe(2);
    expect(result.updated).toBe(0);
    expect(result.problems).toEqual([
      { line: 3, code: 'unknown_org', value: '9999' },
      { line: 4, code: 'missing_name', value: undefined },
      { line: 5, code: 'bad_email', value: 'inte-en-adress' },
      { line: 6, code: 'missing_org', value: undefined },
      { line: 8, code: 'duplicate_row', value: 'anna.berg@upplandsvasby.se' },
      { line: 9, code: 'missing_email', value: undefined },
    ]);
    const orgs = await t.db.selectFrom('organisations').select(['id', 'code']).where('code', 'in', ['0114', '0380']).execute();
    const byOrg = await contactsByOrganisation(t.db, orgs.map((o) => o.id));
    const id = (code: string) => orgs.find((o) => o.code === code)!.id;
    expect(byOrg.get(id('0114'))).toMatchObject([{ name: 'Anna Berg', email: 'anna.berg@upplandsvasby.se', role: 'socialchef' }]);
    expect(byOrg.get(id('0380'))).toMatchObject([{ name: 'Cia Lund', email: 'cia@uppsala.se', role: 'kvinnofridssamordnare' }]);
    const log = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'contacts.import').execute();
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0].after!)).toMatchObject({ created: 2, updated: 0, skipped: 6, source: 'kontakter.csv' });
  });

  it('updates an existing contact (same organisation and e-mail) from an XLSX file', async () => {
    await importContacts(t.db, await readTabular(Buffer.from(CSV), 'k.csv'), { actorUserId: null });
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Kontakter');
    sheet.addRow(['Org', 'Namn', 'E-post', 'Roll']);
    sheet.addRow(['0114', 'Anna Berg-Lind', 'anna.berg@upplandsvasby.se', 'enhetschef']);
    sheet.addRow(['0115', 'Eva Holm', 'eva@vallentuna.se', '']);
    const result = await importContacts(t.db, await readTabular(Buffer.from(await book.xlsx.writeBuffer()), 'k.xlsx'), { actorUserId: null });
    expect(result).toEqual({ created: 1, updated: 1, problems: [] });
    const anna = await t.db.selectFrom('contacts').selectAll().where('email', '=', 'anna.berg@upplandsvasby.se').execute();
    expect(anna).toMatchObject([{ name: 'Anna Berg-Lind', role: 'enhetschef' }]);
  });

  it('refuses a file without the required columns and imports nothing', async () => {
    const table = await readTabular(Buffer.from('kommun,namn\n0114,Anna\n'), 'k.csv');
    await expect(importContacts(t.db, table, { actorUserId: null })).rejects.toThrow(ContactColumnsError);
    await expect(importContacts(t.db, table, { actorUserId: null })).rejects.toThrow(/org, email/);
    expect(await t.db.selectFrom('contacts').selectAll().execute()).toEqual([]);
  });
});
