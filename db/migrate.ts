import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { migrationProvider } from './migrations/index';

/**
 * Runs every pending migration; throws with the failing migration's name on error.
 * Migrations are written on parallel branches, so one can land with a name that sorts before a migration a
 * database has already run (`-11` merged after `-12`). Kysely refuses that by default; we run it instead,
 * since each migration only adds its own tables and columns and never depends on a later one.
 */
export async function migrateToLatest(db: Kysely<any>, provider: MigrationProvider = migrationProvider): Promise<string[]> {
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${message}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
