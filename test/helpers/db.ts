import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { configureSqlite, createDb } from '../../db/dialect';
import type { Database } from '../../db/schema';
import { inject } from 'vitest';
import { testPostgresUrl, withDatabase } from './base-db';

let baseImage: Buffer | undefined;

export interface TestDb {
  db: Kysely<Database>;
  /** DATABASE_URL of this database, for a server process started by the test. */
  url: string;
  dialect: 'sqlite' | 'postgres';
  destroy: () => Promise<void>;
}

/**
 * A fresh migrated database with reference data, copied from the prebuilt base.
 * SQLite: in memory (or a temp file with `{ file: true }`, for tests that start a server).
 * PostgreSQL (when DATABASE_URL is postgres://…): a new database from the template.
 * @example const t = await freshDb(); … await t.destroy();
 */
export async function freshDb(options: { file?: boolean } = {}): Promise<TestDb> {
  const base = inject('baseDb');
  const pgUrl = testPostgresUrl();
  if (pgUrl) {
    const name = `enkatnav_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      // Two workers copying the template at the same moment can collide; wait and retry.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`CREATE DATABASE ${name} TEMPLATE ${base.pgTemplate}`);
          break;
        } catch (e) {
          if (attempt >= 20 || !/being accessed by other users/.test(String(e))) throw e;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
        }
      }
    } finally {
      await admin.end();
    }
    const url = withDatabase(pgUrl, name);
    const db = createDb({ dialect: 'postgres', location: url });
    return {
      db,
      url,
      dialect: 'postgres',
      destroy: async () => {
        await db.destroy();
        const dropper = new pg.Client({ connectionString: pgUrl });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => dropper.end());
      },
    };
  }
  if (options.file) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-db-')), 'test.db');
    fs.copyFileSync(base.sqlitePath, file);
    const sqlite = new SQLite(file);
    configureSqlite(sqlite);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return {
      db,
      url: `file:${file}`,
      dialect: 'sqlite',
      destroy: async () => {
        await db.destroy();
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      },
    };
  }
  baseImage ??= fs.readFileSync(base.sqlitePath);
  const sqlite = new SQLite(baseImage);
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, url: 'file::memory:', dialect: 'sqlite', destroy: () => db.destroy() };
}
