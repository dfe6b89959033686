import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/dialect';
import { cli } from '../helpers/cli';
import { freshDb, type TestDb } from '../helpers/db';

describe('backup', () => {
  let t: TestDb;
  const dirs: string[] = [];
  afterEach(async () => {
    await t?.destroy();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('writes a consistent copy while another connection keeps writing, and the copy restores', async () => {
    t = await freshDb({ file: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-backup-'));
    dirs.push(dir);
    const target = path.join(dir, 'backup.db');
    if (t.dialect === 'postgres') {
      const res = await cli(t, 'backup', target);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/pg_dump/);
      expect(fs.existsSync(target)).toBe(false);
      return;
    }
    const now = new Date().toISOString();
    await t.db.insertInto('organisations').values({ kind: 'myndighet', code: 'MYN1', name: 'Backupverket', created_at: now, updated_at: now }).execute();

    // Another process keeps writing while the backup runs (bounded: 2 000 rows or 10 s).
    const writerScript = `
      const db = new (require('better-sqlite3'))(process.argv[1]);
      db.pragma('busy_timeout = 5000');
      const insert = db.prepare("insert into organisations (kind, code, name, created_at, updated_at) values ('organisation', ?, 'Förening', ?, ?)");
      const end = Date.now() + 10000;
      process.stdout.write('ready\\n');
      for (let i = 0; i < 2000 && Date.now() < end; i++) insert.run('ORG' + i, '${now}', '${now}');
      db.close();`;
    const writer = spawn(process.execPath, ['-e', writerScript, t.url.slice('file:'.length)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => writer.stdout.once('data', resolve));
    const res = await cli(t, 'backup', target);
    await new Promise((resolve) => writer.once('exit', resolve));
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Backup written/);

    const copy = new SQLite(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    const restored = createDb({ dialect: 'sqlite', location: target });
    const found = await restored.selectFrom('organisations').select('name').where('code', '=', 'MYN1').executeTakeFirst();
    const kommuner = await restored.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'kommun').executeTakeFirstOrThrow();
    await restored.destroy();
    expect(found?.name).toBe('Backupverket');
    expect(kommuner.n).toBe(290);
  });

  it('refuses to overwrite an existing file', async () => {
    t = await freshDb({ file: true });
    if (t.dialect === 'postgres') return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-backup-'));
    dirs.push(dir);
    const target = path.join(dir, 'exists.db');
    fs.writeFileSync(target, 'keep me');
    const res = await cli(t, 'backup', target);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/already exists/);
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
  });
});
