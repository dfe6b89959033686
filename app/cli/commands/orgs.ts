import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { ORGANISATION_KINDS } from '../../../db/schema';
import { listOrganisations } from '../../models/organisations/organisations.server';
import { UserError, type Command } from '../command';

const optionsSchema = z.object({
  kind: z.enum(ORGANISATION_KINDS, { error: () => `--kind must be one of: ${ORGANISATION_KINDS.join(', ')}` }).optional(),
  lan: z.string().regex(/^\d{2}$/, '--lan must be a two-digit län code, e.g. 01').optional(),
  format: z.enum(['json', 'csv', 'table'], { error: () => '--format must be json, csv or table' }).default('table'),
});

export const orgs: Command = {
  name: 'orgs',
  summary: 'List organisations',
  help: `Usage: npm run cli -- orgs [--kind KIND] [--lan CODE] [--format json|csv|table]

Lists active organisations. KIND is one of ${ORGANISATION_KINDS.join(', ')}.
JSON and CSV carry: code, name, kind, lan, lanName, kommungrupp2017, kommungrupp2023,
population, populationYear.`,
  options: { kind: { type: 'string' }, lan: { type: 'string' }, format: { type: 'string' } },
  async run(ctx) {
    const parsed = optionsSchema.safeParse(ctx.values);
    if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => i.message).join('\n'));
    const { kind, lan, format } = parsed.data;
    const rows = (await listOrganisations(ctx.db(), { kind, lan })).map((o) => ({
      code: o.code,
      name: o.name,
      kind: o.kind,
      lan: o.lan_code,
      lanName: o.lan_name,
      kommungrupp2017: o.kommungrupp2017_code,
      kommungrupp2023: o.kommungrupp2023_code,
      population: o.population,
      populationYear: o.population_year,
    }));
    if (format === 'json') ctx.out(JSON.stringify(rows, null, 2));
    else if (format === 'csv') ctx.out(stringify(rows, { header: true, columns: Object.keys(rows[0] ?? { code: 1 }) }).trimEnd());
    else for (const r of rows) ctx.out(`${r.code.padEnd(6)} ${r.kind.padEnd(13)} ${r.lan ?? '  '}  ${r.name}`);
  },
};
