import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { freshDb, type TestDb } from '../helpers/db';

describe('cli', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('orgs --kind kommun --format json prints 290 objects with the registry fields', async () => {
    t = await freshDb();
    const { code, stdout } = await cli(t, 'orgs', '--kind', 'kommun', '--format', 'json');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout);
    expect(rows).toHaveLength(290);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(['code', 'name', 'lan', 'kommungrupp2017', 'kommungrupp2023', 'population']),
      );
    }
    expect(rows.find((r: { code: string }) => r.code === '0114')).toMatchObject({ name: 'Upplands Väsby', lan: '01', kommungrupp2017: 'A2' });
  });

  it('orgs --format csv has a header and one line per organisation', async () => {
    t = await freshDb();
    const { code, stdout } = await cli(t, 'orgs', '--kind', 'region', '--format', 'csv');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^code,name,kind,lan/);
    expect(lines).toHaveLength(22);
  });

  it('refuses a bad option value in English, without a stack trace', async () => {
    t = await freshDb();
    const { code, stderr } = await cli(t, 'orgs', '--kind', 'foretag');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--kind must be one of/);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('explains unknown commands and options', async () => {
    t = await freshDb();
    expect((await cli(t, 'frobnicate')).stderr).toMatch(/Unknown command/);
    const bad = await cli(t, 'orgs', '--colour');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option/);
  });

  it('has --help for every command', async () => {
    t = await freshDb();
    const { commands } = await import('../../app/cli/commands/index');
    for (const c of commands) {
      const res = await cli(t, ...c.name.split(' '), '--help');
      expect(res.code, c.name).toBe(0);
      expect(res.stdout, c.name).toMatch(/^Usage: npm run cli -- /);
    }
  });

  it('setup is idempotent', async () => {
    t = await freshDb();
    const first = await cli(t, 'setup');
    const second = await cli(t, 'setup');
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/up to date/);
    expect(second.stdout).toMatch(/290|332 organisations/);
  });
});
