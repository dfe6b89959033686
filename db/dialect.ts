import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseTarget {
  dialect: DialectName;
  /** SQLite: a file path or ':memory:'. PostgreSQL: the connection string. */
  location: string;
}

export const DEFAULT_SQLITE_PATH = './data/enkatnav.db';

/**
 * Reads DATABASE_URL: unset → ./data/enkatnav.db, `file:PATH` → SQLite at PATH,
 * `postgres://…` or `postgresql://…` → PostgreSQL. Anything else is an error.
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  if (!url) return { dialect: 'sqlite', location: DEFAULT_SQLITE_PATH };
  if (url.startsWith('file:')) {
    const location = url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (!location) throw new Error('DATABASE_URL "file:" needs a path, e.g. file:./data/enkatnav.db');
    return { dialect: 'sqlite', location };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', location: url };
  throw new Error('DATABASE_URL must be unset, file:PATH or postgres://…');
}

// PostgreSQL returns int8 (count(*), sums of integers) and numeric as strings; SQLite returns
// numbers. Parse them here, once, so both dialects give the same types to the app.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v));

/**
 * Opens a SQLite connection with the settings the product relies on: WAL so readers never
 * block the writer, foreign keys, a busy timeout for concurrent writers, and
 * synchronous=FULL so an acknowledged commit survives a process or power crash.
 */
export function openSqlite(location: string): SQLite.Database {
  if (location !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(location)), { recursive: true });
  const sqlite = new SQLite(location);
  configureSqlite(sqlite);
  return sqlite;
}

export function configureSqlite(sqlite: SQLite.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

export function createDialect(target: DatabaseTarget): Dialect {
  if (target.dialect === 'sqlite') return new SqliteDialect({ database: openSqlite(target.location) });
  return new PostgresDialect({
    pool: new pg.Pool({ connectionString: target.location, max: Number(process.env.PG_POOL_MAX ?? 10) }),
  });
}

export function createDb(target: DatabaseTarget): Kysely<Database> {
  return new Kysely<Database>({ dialect: createDialect(target) });
}

/** Which dialect a Kysely instance speaks; for the few places where SQL differs. */
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
