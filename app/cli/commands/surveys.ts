import { z } from 'zod';
import { getSurveys } from '../../models/surveys/surveys.server';
import { UserError, type Command } from '../command';

const optionsSchema = z.object({
  format: z.enum(['json', 'table'], { error: () => '--format must be json or table' }).default('table'),
});

export const surveys: Command = {
  name: 'surveys',
  readsSurveys: true,
  summary: 'List the survey instruments in surveys/',
  help: `Usage: npm run cli -- surveys [--format json|table]

Loads and checks every file in surveys/ (or SURVEYS_DIR) and lists them: id, family, year,
audience, title. Fails, naming the file, when a survey file is broken.`,
  options: { format: { type: 'string' } },
  async run(ctx) {
    const parsed = optionsSchema.safeParse(ctx.values);
    if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => i.message).join('\n'));
    const rows = getSurveys().map(({ meta }) => ({
      id: meta.id,
      family: meta.family,
      year: meta.year,
      audience: meta.audience,
      title: meta.title,
      defaultDeadline: meta.defaultDeadline,
    }));
    if (parsed.data.format === 'json') {
      ctx.out(JSON.stringify(rows, null, 2));
      return;
    }
    const audience = (a: string[] | string) => (Array.isArray(a) ? a.join(',') : a);
    const width = (f: (r: (typeof rows)[number]) => string) => Math.max(...rows.map((r) => f(r).length));
    const w = { id: width((r) => r.id), family: width((r) => r.family), audience: width((r) => audience(r.audience)) };
    for (const r of rows) ctx.out(`${r.id.padEnd(w.id)}  ${r.family.padEnd(w.family)}  ${r.year}  ${audience(r.audience).padEnd(w.audience)}  ${r.title}`);
  },
};
