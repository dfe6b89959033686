import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { freshDb, type TestDb } from '../helpers/db';

describe('import-orgs', () => {
  let t: TestDb;
  let dir: string;
  beforeEach(async () => {
    t = await freshDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-orgs-'));
  });
  afterEach(async () => {
    await t.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const count = async (kind: 'organisation' | 'myndighet' | 'stadsdel') =>
    (await t.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', kind).executeTakeFirstOrThrow()).n;

  it('imports organisationer, myndigheter and stadsdelar with parents, and updates on re-import', async () => {
    const file = write(
      'orgs.csv',
      'kind,code,name,lan,parent\norganisation,802000-0001,Riksförbundet Kvinnojourer,,\nmyndighet,202100-5026,Brottsoffermyndigheten,24,\nstadsdel,0180-SKH,Skärholmens stadsdelsförvaltning,,0180\n',
    );
    const first = await cli(t, 'import-orgs', file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/3 new, 0 updated/);
    const stadsdel = await t.db.selectFrom('organisations').selectAll().where('code', '=', '0180-SKH').executeTakeFirstOrThrow();
    const stockholm = await t.db.selectFrom('organisations').select(['id']).where('code', '=', '0180').executeTakeFirstOrThrow();
    expect(stadsdel).toMatchObject({ kind: 'stadsdel', parent_id: stockholm.id, lan_code: '01' });

    const again = await cli(t, 'import-orgs', write('again.csv', 'kind,code,name\nmyndighet,202100-5026,Brottsoffermyndigheten (BrOM)\n'));
    expect(again.stdout).toMatch(/0 new, 1 updated/);
    expect(await count('myndighet')).toBe(1);
  });

  it('changes nothing when any row is bad, and reports every bad row with its line', async () => {
    const file = write(
      'bad.csv',
      [
        'kind,code,name,lan,parent',
        'organisation,ORG-1,Bra förening,,',
        'kommun,9999,Ny kommun,,',
        'myndighet,MYN-1,,,',
        'stadsdel,SD-1,Utan kommun,,',
        'organisation,0114,Kapar kommunkod,,',
        'organisation,ORG-2,Fel län,99,',
        'organisation,ORG-1,Dubblett,,',
      ].join('\n'),
    );
    const res = await cli(t, 'import-orgs', file);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/nothing was changed/);
    for (const [line, text] of [
      [3, 'kind must be one of'],
      [4, 'name is empty'],
      [5, 'needs its kommun'],
      [6, 'belongs to a kommun'],
      [7, 'unknown län 99'],
      [8, 'also on line 2'],
    ] as const) {
      expect(res.stderr).toMatch(new RegExp(`line ${line}: .*${text}`));
    }
    expect(res.stderr).not.toMatch(/line 2:/);
    expect(await count('organisation')).toBe(0);
  });

  it('reads XLSX and explains a missing column', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Organisationer');
    sheet.addRow(['kind', 'code', 'name']);
    sheet.addRow(['organisation', 'ORG-X', 'Föreningen X']);
    const xlsx = path.join(dir, 'orgs.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    const ok = await cli(t, 'import-orgs', xlsx);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await count('organisation')).toBe(1);

    const bad = await cli(t, 'import-orgs', write('nocode.csv', 'kind,name\norganisation,X\n'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/missing column\(s\): code/);
  });
});
