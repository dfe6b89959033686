import path from 'node:path';
import { importGrants } from '../../models/grants/grants.server';
import { importLedger, LEDGER_IMPORT_COLUMNS } from '../../models/grants/ledger-import.server';
import { GrantInputError } from '../../models/grants/programs.server';
import { ImportRowsError } from '../../models/imports/errors.server';
import { readTabularFile, TabularError } from '../../utils/tabular.server';
import { stringOption, UserError, type Command } from '../command';

/** Turns a refused import into one English message listing every bad row. */
export function importFailure(e: unknown): never {
  if (e instanceof ImportRowsError)
    throw new UserError([`Import refused, nothing was changed: ${e.message}`, ...e.errors.map((r) => `  line ${r.line}${r.column ? `, ${r.column}` : ''}: ${r.message}`)].join('\n'));
  if (e instanceof TabularError || e instanceof GrantInputError) throw new UserError(e.message);
  throw e;
}

export const importGrantsCommand: Command = {
  name: 'import-grants',
  summary: 'Import the grant ledger from a CSV or XLSX file (all rows or none)',
  help: `Usage: npm run cli -- import-grants [--year <grant year id>] <file.csv|file.xlsx>

Columns: org,program,year,status,allocated_sek,used_sek,repaid_sek
  org      organisation code (kommunkod, e.g. 0114)
  status   ej_rekvirerat | forbrukat | aterbetalt
Rules: used_sek + repaid_sek = allocated_sek; aterbetalt and ej_rekvirerat mean used_sek = 0.
The import changes nothing unless every row is valid, and lists every bad row with its line
number. Importing the same (org, program, year) again replaces it.

With --year, the file is the ledger of a grant year in the platform (the same import as the
upload on /admin/medel/<id>): columns ${LEDGER_IMPORT_COLUMNS.join(',')}
(org and at least one more; an empty cell keeps what is stored; dates YYYY-MM-DD).`,
  options: { year: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    try {
      const yearOption = stringOption(ctx, 'year');
      if (yearOption !== undefined) {
        const yearId = Number(yearOption);
        if (!Number.isSafeInteger(yearId) || yearId <= 0) throw new UserError(`--year must be a grant year id, got "${yearOption}"`);
        const file = ctx.positionals[0];
        const result = await importLedger(ctx.db(), yearId, await readTabularFile(file), { actorUserId: null, source: path.basename(file) });
        ctx.out(`Imported ${result.imported} ledger row(s) into grant year ${yearId} (${result.created} new).`);
        return;
      }
      const result = await importGrants(ctx.db(), await readTabularFile(ctx.positionals[0]));
      ctx.out(`Imported ${result.imported} grant row(s) (${result.replaced} replaced).`);
    } catch (e) {
      importFailure(e);
    }
  },
};
