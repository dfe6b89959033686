import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../../db/dialect';
import type { Database } from '../../../db/schema';

export class BackupNotSupportedError extends Error {}

/**
 * Writes a consistent copy of a SQLite database to `target` while the app keeps running:
 * `VACUUM INTO` reads one snapshot (WAL readers never block the writer) and writes a compact,
 * self-contained file. PostgreSQL is backed up with pg_dump instead (see the README).
 * @example await backupDatabase(db, 'backups/enkatnav-2026-11-22.db')
 */
export async function backupDatabase(db: Kysely<Database>, target: string): Promise<{ bytes: number }> {
  if (dialectOf(db) === 'postgres') {
    throw new BackupNotSupportedError(
      'This database is PostgreSQL: back it up with pg_dump, e.g. `pg_dump --format=custom --file=enkatnav.dump "$DATABASE_URL"`, ' +
        'and restore with `pg_restore --clean --if-exists --dbname="$DATABASE_URL" enkatnav.dump`.',
    );
  }
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new Error(`${target} already exists; choose a new file name.`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sql`vacuum into ${file}`.execute(db);
  return { bytes: fs.statSync(file).size };
}
