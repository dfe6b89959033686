import path from 'node:path';
import { CONTACT_PROBLEMS, ContactColumnsError, importContacts } from '../../models/organisations/contacts.server';
import { readTabularFile, TabularError } from '../../utils/tabular.server';
import { UserError, type Command } from '../command';

export const contactsImport: Command = {
  name: 'contacts import',
  summary: 'Import organisation contacts from a CSV or XLSX file',
  help: `Usage: npm run cli -- contacts import <file.csv|file.xlsx>

Reads columns org (organisation code, or its exact name), name, email and optionally role.
Good rows are added, or update the contact with the same organisation and e-mail. Bad rows are
skipped and listed by line with the problem. Exit code 0 when every row was imported, 1 when
some rows were skipped (the good ones are still imported).`,
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const file = ctx.positionals[0];
    let result;
    try {
      const table = await readTabularFile(file);
      result = await importContacts(ctx.db(), table, { actorUserId: null, source: path.basename(file) });
    } catch (e) {
      if (e instanceof TabularError || e instanceof ContactColumnsError) throw new UserError(e.message);
      throw e;
    }
    ctx.out(`Imported ${result.created} new and updated ${result.updated} existing contacts.`);
    if (result.problems.length === 0) return 0;
    ctx.err(`Skipped ${result.problems.length} row(s):`);
    for (const p of result.problems) ctx.err(`  line ${p.line}: ${CONTACT_PROBLEMS[p.code].en}${p.value ? ` (${p.value})` : ''}`);
    return 1;
  },
};
