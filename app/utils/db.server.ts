import type { Kysely } from 'kysely';
import { createDb, parseDatabaseUrl } from '../../db/dialect';
import type { Database } from '../../db/schema';
import { getEnv } from './env.server';

let instance: Kysely<Database> | undefined;

/**
 * The one Kysely instance of this process, opened lazily from DATABASE_URL.
 * Model functions take `db` as their first argument; routes pass `getDb()`.
 */
export function getDb(): Kysely<Database> {
  const env = getEnv();
  instance ??= createDb({ ...parseDatabaseUrl(env.DATABASE_URL), poolMax: env.PG_POOL_MAX });
  return instance;
}

/** Tests point the app at their own fresh database. */
export function setDb(db: Kysely<Database>): void {
  instance = db;
}

export async function closeDb(): Promise<void> {
  const db = instance;
  instance = undefined;
  await db?.destroy();
}
