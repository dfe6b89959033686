import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, sql, SqliteDialect, type Dialect, type RawBuilder, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseTarget {
  dialect: DialectName;
  /** SQLite: a file path or ':memory:'. PostgreSQL: the connection string. */
  location: string;
  /** PostgreSQL: connections this process may hold (default 10). */
  poolMax?: number;
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
  // A page cache of up to 128 MB (default 2 MB), a ceiling filled only as pages are read, for
  // the one connection a process holds. A comparison over 1 M answers scans ~70 MB of index pages
  // (test/bench/comparison.bench.ts): with 2 MB, and with 64 MB (the scans then evict each other),
  // every run re-reads them from the OS and takes ~25–35 % longer. mmap_size gave nothing steady.
  sqlite.pragma('cache_size = -131072');
}

export function createDialect(target: DatabaseTarget): Dialect {
  if (target.dialect === 'sqlite') return new SqliteDialect({ database: openSqlite(target.location) });
  const pool = new pg.Pool({ connectionString: target.location, max: target.poolMax ?? 10 });
  // An idle client whose server connection drops (PostgreSQL restart, failover, a test database
  // dropped) emits 'error' on the pool; unhandled, that would crash the process. The pool
  // replaces the client, and the next query reports any lasting problem.
  pool.on('error', (error) => console.warn(`PostgreSQL connection lost: ${error.message}`));
  return new PostgresDialect({ pool });
}

export function createDb(target: DatabaseTarget): Kysely<Database> {
  return new Kysely<Database>({ dialect: createDialect(target) });
}

/** Which dialect a Kysely instance speaks; for the few places where SQL differs. */
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Row locking for work queues: `for update skip locked` on PostgreSQL, so two instances claiming
 * jobs at once take different rows. SQLite has one writer at a time, so a single
 * `update … returning` statement is already an atomic claim and needs no clause.
 * @example sql`update outbox set … where id in (select id from outbox where … limit 10 ${skipLocked(db)}) returning *`
 */
export function skipLocked(db: Kysely<any>): RawBuilder<unknown> {
  return dialectOf(db) === 'postgres' ? sql`for update skip locked` : sql``;
}

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one: Kysely cannot
 * nest transactions, and a change and its audit entry must commit together.
 * @example await inTransaction(db, async (trx) => { await extendRound(trx, id, at); await audit(trx, entry); })
 */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}
