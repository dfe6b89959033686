import { BackupNotSupportedError, backupDatabase } from '../../models/ops/backup.server';
import { UserError, type Command } from '../command';

export const backup: Command = {
  name: 'backup',
  summary: 'Write a consistent copy of the SQLite database while the app runs',
  help: `Usage: npm run cli -- backup <file>

Writes a consistent, compact copy of the SQLite database named by DATABASE_URL to <file>
(SQLite VACUUM INTO), safe while the app is running. The file must not exist.
Restore: stop the app, replace the database file (default ./data/enkatnav.db) with the
backup, and start again. For PostgreSQL this command explains how to use pg_dump.`,
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const [file] = ctx.positionals;
    try {
      const { bytes } = await backupDatabase(ctx.db(), file);
      ctx.out(`Backup written to ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB).`);
    } catch (e) {
      if (e instanceof BackupNotSupportedError) throw new UserError(e.message);
      if (e instanceof Error && /already exists/.test(e.message)) throw new UserError(e.message);
      throw e;
    }
  },
};
