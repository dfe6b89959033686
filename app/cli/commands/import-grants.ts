import { importGrants } from '../../models/grants/grants.server';
import { ImportRowsError } from '../../models/imports/errors.server';
import { readTabularFile, TabularError } from '../../utils/tabular.server';
import { UserError, type Command } from '../command';

/** Turns a refused import into one English message listing every bad row. */
export function importFailure(e: unknown): never {
  if (e instanceof ImportRowsError)
    throw new UserError([`Import refused, nothing was changed: ${e.message}`, ...e.errors.map((r) => `  line ${r.line}: ${r.message}`)].join('\n'));
  if (e instanceof TabularError) throw new UserError(e.message);
  throw e;
}

export const importGrantsCommand: Command = {
  name: 'import-grants',
  summary: 'Import the grant ledger from a CSV or XLSX file (all rows or none)',
  help: `Usage: npm run cli -- import-grants <file.csv|file.xlsx>

Columns: org,program,year,status,allocated_sek,used_sek,repaid_sek
  org      organisation code (kommunkod, e.g. 0114)
  status   ej_rekvirerat | forbrukat | aterbetalt
Rules: used_sek + repaid_sek = allocated_sek; aterbetalt and ej_rekvirerat mean used_sek = 0.
The import changes nothing unless every row is valid, and lists every bad row with its line
number. Importing the same (org, program, year) again replaces it.`,
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    try {
      const result = await importGrants(ctx.db(), await readTabularFile(ctx.positionals[0]));
      ctx.out(`Imported ${result.imported} grant row(s) (${result.replaced} replaced).`);
    } catch (e) {
      importFailure(e);
    }
  },
};
