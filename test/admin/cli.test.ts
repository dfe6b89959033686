import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAssignmentByToken } from '~/models/rounds/rounds.server';
import { freshDb, type TestDb } from '../helpers/db';
import { cli, setStatus } from './fixtures';

describe('round and contacts CLI', () => {
  let t: TestDb;
  let dir: string;
  beforeEach(async () => {
    t = await freshDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-admin-cli-'));
  });
  afterEach(async () => {
    await t.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('round create --kind kommun --lan 01,03 prints the id and writes working links', async () => {
    const links = path.join(dir, 'links.csv');
    const res = await cli(t, 'round', 'create', '--survey', 'oj-vinr-2019', '--title', 'ÖJ 2019', '--opens', '2019-01-23', '--closes', '2019-03-15', '--kind', 'kommun', '--lan', '01,03', '--links-out', links);
    expect(res.stderr).toMatch(/34 assignments/);
    expect(res.code).toBe(0);
    const roundId = Number(res.stdout);
    expect(roundId).toBeGreaterThan(0);
    const round = await t.db.selectFrom('rounds').selectAll().where('id', '=', roundId).executeTakeFirstOrThrow();
    // End of 15 March in Stockholm (UTC+1 in winter).
    expect(round).toMatchObject({ opens_at: '2019-01-22T23:00:00.000Z', closes_at: '2019-03-15T22:59:59.000Z', reminder_schedule: '[-14,-3,2]' });

    const rows = parse(fs.readFileSync(links, 'utf8'), { columns: true }) as { org: string; name: string; link: string }[];
    expect(rows).toHaveLength(34);
    expect(rows[0]).toMatchObject({ org: '0114', name: 'Upplands Väsby' });
    const token = rows[0].link.split('/svar/')[1];
    const assignment = await findAssignmentByToken(t.db, token);
    const org = await t.db.selectFrom('organisations').select('id').where('code', '=', '0114').executeTakeFirstOrThrow();
    expect(assignment?.organisation_id).toBe(org.id);
    expect(await t.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'round.create').execute()).toEqual([{ action: 'round.create', entity_id: String(roundId) }]);
  });

  it('round create --orgs reads codes from a file and names unknown ones', async () => {
    const codes = path.join(dir, 'codes.csv');
    fs.writeFileSync(codes, 'org\n0114\n180\n9999\n0000\n');
    const bad = await cli(t, 'round', 'create', '--survey', 'oj-vinr-2019', '--title', 'x', '--opens', '2019-01-23', '--orgs', codes);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Unknown organisation codes: 9999, 0000/);
    fs.writeFileSync(codes, 'org\n0114\n180\n');
    const ok = await cli(t, 'round', 'create', '--survey', 'oj-vinr-2019', '--title', 'x', '--opens', '2019-01-23', '--orgs', codes);
    expect(ok.code).toBe(0);
    const round = await t.db.selectFrom('rounds').selectAll().where('id', '=', Number(ok.stdout)).executeTakeFirstOrThrow();
    // No --closes: the survey's usual deadline (15 March) after the opening date.
    expect(round.closes_at).toBe('2019-03-15T22:59:59.000Z');
    expect((await t.db.selectFrom('assignments').select('id').where('round_id', '=', round.id).execute()).length).toBe(2);
  });

  it('round create refuses targets outside the survey audience, bad dates and unknown surveys', async () => {
    const base = ['round', 'create', '--title', 'x', '--opens', '2019-01-23'];
    expect((await cli(t, ...base, '--survey', 'oj-vinr-2019', '--kind', 'region')).stderr).toMatch(/is for kommun, stadsdel; 21 target\(s\) are region/);
    expect((await cli(t, ...base, '--survey', 'nope', '--kind', 'kommun')).stderr).toMatch(/Unknown survey "nope"/);
    expect((await cli(t, ...base, '--survey', 'oj-vinr-2019', '--kind', 'kommun', '--closes', '2019-01-01')).stderr).toMatch(/--closes must be after --opens/);
    expect((await cli(t, ...base, '--survey', 'oj-vinr-2019', '--kind', 'kommun', '--lan', 'Stockholm')).stderr).toMatch(/--lan must be a comma-separated list/);
    expect((await cli(t, ...base, '--survey', 'oj-vinr-2019')).stderr).toMatch(/exactly one of --kind, --orgs or --persons/);
    expect(await t.db.selectFrom('rounds').select('id').execute()).toEqual([]);
  });

  it('round create --persons for a person survey', async () => {
    const people = path.join(dir, 'people.csv');
    fs.writeFileSync(people, 'name,email\nAnna Berg,anna@lst.se\nBo Ek;bo@polisen.se\n');
    const res = await cli(t, 'round', 'create', '--survey', 'samverkanspartner-2014', '--title', 'Samverkan 2014', '--opens', '2014-09-01', '--closes', '2014-10-01', '--persons', people, '--links-out', path.join(dir, 'l.csv'));
    expect(res.stderr).toMatch(/2 assignments/);
    const rows = parse(fs.readFileSync(path.join(dir, 'l.csv'), 'utf8'), { columns: true }) as { org: string; name: string }[];
    expect(rows.map((r) => r.name).sort()).toEqual(['Anna Berg', 'Bo Ek']);
  });

  it('round create --persons parses CSV (quoted names with commas, no quotes kept) and reads .xlsx as a spreadsheet', async () => {
    const people = path.join(dir, 'people.csv');
    fs.writeFileSync(people, '\uFEFFnamn,e-post\n"Berg, Anna",anna@lst.se\n"Ek ""Bosse"" Bo",bo@polisen.se\n');
    const args = ['round', 'create', '--survey', 'samverkanspartner-2014', '--opens', '2014-09-01', '--closes', '2014-10-01'];
    const res = await cli(t, ...args, '--title', 'CSV', '--persons', people, '--links-out', path.join(dir, 'l.csv'));
    expect(res.code).toBe(0);
    const rows = parse(fs.readFileSync(path.join(dir, 'l.csv'), 'utf8'), { columns: true }) as { name: string }[];
    expect(rows.map((r) => r.name).sort()).toEqual(['Berg, Anna', 'Ek "Bosse" Bo']);

    const xlsx = path.join(dir, 'people.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Personer');
    ws.addRow(['E-post', 'Namn']);
    ws.addRow(['cecilia@lst.se', 'Holm, Cecilia']);
    ws.addRow(['dan@lst.se', 'Dan Ås']);
    await wb.xlsx.writeFile(xlsx);
    const fromXlsx = await cli(t, ...args, '--title', 'XLSX', '--persons', xlsx, '--links-out', path.join(dir, 'x.csv'));
    expect(fromXlsx.code).toBe(0);
    const xRows = parse(fs.readFileSync(path.join(dir, 'x.csv'), 'utf8'), { columns: true }) as { name: string }[];
    expect(xRows.map((r) => r.name).sort()).toEqual(['Dan Ås', 'Holm, Cecilia']);
    const persons = await t.db.selectFrom('assignments').select(['person_name', 'person_email']).where('person_email', 'like', '%@lst.se').orderBy('person_email').execute();
    expect(persons).toEqual([
      { person_name: 'Berg, Anna', person_email: 'anna@lst.se' },
      { person_name: 'Holm, Cecilia', person_email: 'cecilia@lst.se' },
      { person_name: 'Dan Ås', person_email: 'dan@lst.se' },
    ]);

    fs.writeFileSync(people, 'name,email\nAnna Berg\n');
    const bad = await cli(t, ...args, '--title', 'Fel', '--persons', people);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/line 2: Anna Berg/);
  });

  it('round status prints rates and per-assignment rows as table, JSON and CSV', async () => {
    const created = await cli(t, 'round', 'create', '--survey', 'oj-vinr-2019', '--title', 'ÖJ', '--opens', '2019-01-23', '--kind', 'kommun', '--lan', '03');
    const id = Number(created.stdout);
    await setStatus(t.db, id, '0380', 'submitted');
    await setStatus(t.db, id, '0305', 'draft');

    const table = await cli(t, 'round', 'status', String(id));
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Overall \(submitted \/ total\)\s+1 \/ 8\s+12\.5%/);
    expect(table.stdout).toMatch(/03 Uppsala län\s+1 \/ 8/);

    const json = JSON.parse((await cli(t, 'round', 'status', String(id), '--format', 'json')).stdout);
    expect(json.rates.overall).toMatchObject({ total: 8, submitted: 1, started: 1 });
    expect(json.assignments).toHaveLength(8);
    expect(json.assignments.find((a: { org: string }) => a.org === '0380')).toMatchObject({ status: 'submitted', submittedBy: 'anna@kommun.se' });

    const csv = await cli(t, 'round', 'status', String(id), '--format', 'csv');
    const rows = parse(csv.stdout, { columns: true }) as { org: string; status: string }[];
    expect(rows.map((r) => `${r.org}:${r.status}`)).toContain('0305:draft');
    expect(csv.stderr).toMatch(/Overall/);

    expect((await cli(t, 'round', 'status', '999')).stderr).toMatch(/No round with id 999/);
    expect((await cli(t, 'round', 'status', 'abc')).code).toBe(1);
  });

  it('round remind --dry-run lists the missing; a real run queues one reminder each, once a day', async () => {
    const id = Number((await cli(t, 'round', 'create', '--survey', 'oj-vinr-2019', '--title', 'ÖJ', '--opens', '2019-01-23', '--closes', '2099-03-15', '--kind', 'kommun', '--lan', '03')).stdout);
    await setStatus(t.db, id, '0380', 'submitted');
    const file = path.join(dir, 'k.csv');
    fs.writeFileSync(file, 'org,name,email\n0380,Ulla,ulla@uppsala.se\n0305,Hans,hans@habo.se\n0305,Hedda,hedda@habo.se\n');
    await cli(t, 'contacts', 'import', file);
    const dry = await cli(t, 'round', 'remind', String(id), '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout.split('\n')).toHaveLength(7);
    expect(dry.stdout).toMatch(/\tHåbo\thans@habo\.se, hedda@habo\.se/);
    expect(dry.stdout).not.toMatch(/Uppsala/);
    expect(dry.stderr).toMatch(/1 of 7 missing assignments would get a reminder; 6 have no address/);
    expect(await t.db.selectFrom('outbox').select('id').where('kind', '=', 'reminder').execute()).toEqual([]);

    const real = await cli(t, 'round', 'remind', String(id));
    expect(real.stdout).toBe('Queued 1 reminder(s); 0 already reminded today; 6 without an address; 0 opted out of reminders.');
    expect(real.stderr).toMatch(/No address .*Enköping/);
    const again = await cli(t, 'round', 'remind', String(id));
    expect(again.stdout).toMatch(/^Queued 0 reminder\(s\); 1 already reminded today/);
    const sent = await t.db.selectFrom('outbox').select(['to_address']).where('kind', '=', 'reminder').execute();
    expect(sent).toEqual([{ to_address: 'hans@habo.se, hedda@habo.se' }]);
    expect((await cli(t, 'round', 'remind', '4711')).stderr).toMatch(/No round with id 4711/);
  });

  it('contacts import reports bad rows by line in English and imports the good ones', async () => {
    const file = path.join(dir, 'kontakter.csv');
    fs.writeFileSync(file, 'org;name;email;role\n0114;Anna Berg;anna@upplandsvasby.se;socialchef\n9999;X;x@y.se;\n0115;Bo;nej;\n');
    const res = await cli(t, 'contacts', 'import', file);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('Imported 1 new and updated 0 existing contacts.');
    expect(res.stderr).toContain('line 3: Unknown organisation: no such code or name in the registry. (9999)');
    expect(res.stderr).toContain('line 4: The email address is not valid. (nej)');
    expect(await t.db.selectFrom('contacts').select(['email']).execute()).toEqual([{ email: 'anna@upplandsvasby.se' }]);
    expect((await cli(t, 'contacts', 'import', path.join(dir, 'missing.csv'))).stderr).toMatch(/Cannot read file/);
  });
});
