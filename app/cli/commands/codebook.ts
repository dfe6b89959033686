import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { getCodebook, getSurvey, getSurveys } from '../../models/surveys/surveys.server';
import { UserError, type Command } from '../command';

const optionsSchema = z.object({
  format: z.enum(['json', 'csv'], { error: () => '--format must be csv or json' }).default('csv'),
});

const pairs = (list: { value: string; label: string }[] | null | undefined) => (list ?? []).map((o) => `${o.value}=${o.label}`).join('; ');

export const codebook: Command = {
  name: 'codebook',
  readsSurveys: true,
  summary: 'Print the codebook of a survey (keys, question texts, options)',
  help: `Usage: npm run cli -- codebook <survey-id> [--format csv|json]

Prints one row per stored answer key in form order: survey_id, key, page, type, kind, required,
text, options (value=label; …), rows and columns for matrices, comment_of for the free text of
"other" answers. JSON has the same entries with the option lists as arrays. Default: csv.`,
  options: { format: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const parsed = optionsSchema.safeParse(ctx.values);
    if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => i.message).join('\n'));
    const id = ctx.positionals[0];
    const survey = getSurvey(id);
    if (!survey) throw new UserError(`Unknown survey "${id}". Known: ${getSurveys().map((s) => s.meta.id).join(', ')}`);
    const entries = getCodebook(survey);
    if (parsed.data.format === 'json') {
      ctx.out(JSON.stringify(entries, null, 2));
      return;
    }
    const rows = entries.map((e) => ({
      survey_id: e.surveyId,
      key: e.key,
      page: e.page,
      type: e.type,
      kind: e.kind,
      required: e.required ? 'yes' : 'no',
      text: e.text,
      options: pairs(e.options),
      rows: pairs(e.rows),
      columns: (e.columns ?? []).map((c) => `${c.name}=${c.label}`).join('; '),
      comment_of: e.commentOf ?? '',
    }));
    ctx.out(stringify(rows, { header: true, columns: Object.keys(rows[0]) }).trimEnd());
  },
};
