import { importOrganisations } from '../../models/imports/organisations.server';
import { readTabularFile } from '../../utils/tabular.server';
import type { Command } from '../command';
import { importFailure } from './import-grants';

export const importOrgs: Command = {
  name: 'import-orgs',
  summary: 'Import ideella organisationer, myndigheter and stadsdelar from CSV or XLSX (all rows or none)',
  help: `Usage: npm run cli -- import-orgs <file.csv|file.xlsx>

Columns: kind,code,name[,lan][,parent]
  kind    organisation | myndighet | stadsdel
  code    a unique code, e.g. an organisationsnummer (letters, digits, . _ -)
  lan     optional two-digit län code, e.g. 01
  parent  optional code of the parent organisation; a stadsdel needs its kommun
Nothing is imported unless every row is valid; every bad row is listed with its line.
Importing a code again updates that organisation. Reference kommuner, regioner and
länsstyrelser cannot be changed by an import.`,
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    try {
      const { created, updated } = await importOrganisations(ctx.db(), await readTabularFile(ctx.positionals[0]));
      ctx.out(`Imported ${created + updated} organisation(s): ${created} new, ${updated} updated.`);
    } catch (e) {
      importFailure(e);
    }
  },
};
