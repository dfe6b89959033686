import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createDb, openSqlite } from '../../db/dialect';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/schema';
import { loadReferenceData } from '../../db/seed/reference';

/** A new, unique place for this run's prebuilt base, so parallel runs never share one. */
export function newBaseLocation(): { sqlitePath: string; pgTemplate: string } {
  const id = randomBytes(5).toString('hex');
  return { sqlitePath: path.join(os.tmpdir(), `enkatnav-test-base-${id}.db`), pgTemplate: `enkatnav_tpl_${id}` };
}

export const testPostgresUrl = () => (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined);

/** Replaces the database name in a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Builds the base once per run: SQLite file, or a PostgreSQL template database. */
export async function buildBase(base: { sqlitePath: string; pgTemplate: string }): Promise<void> {
  const pgUrl = testPostgresUrl();
  if (pgUrl) {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${base.pgTemplate} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${base.pgTemplate}`);
    } finally {
      await admin.end();
    }
    const db = createDb({ dialect: 'postgres', location: withDatabase(pgUrl, base.pgTemplate) });
    await migrateToLatest(db);
    await loadReferenceData(db);
    await db.destroy();
    return;
  }
  fs.rmSync(base.sqlitePath, { force: true });
  const sqlite = openSqlite(base.sqlitePath);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);
  await loadReferenceData(db);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('journal_mode = DELETE');
  await db.destroy();
}

/** Removes the base after the run. */
export async function dropBase(base: { sqlitePath: string; pgTemplate: string }): Promise<void> {
  const pgUrl = testPostgresUrl();
  if (pgUrl) {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${base.pgTemplate} WITH (FORCE)`).finally(() => admin.end());
  }
  fs.rmSync(base.sqlitePath, { force: true });
}
