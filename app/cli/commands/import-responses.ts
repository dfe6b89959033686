import { importResponses } from '../../models/imports/responses.server';
import { readTabularFile } from '../../utils/tabular.server';
import { UserError, stringOption, type Command } from '../command';
import { importFailure } from './import-grants';

export const importResponsesCommand: Command = {
  name: 'import-responses',
  readsSurveys: true,
  summary: 'Import submitted answers for a survey from a wide CSV or XLSX file',
  help: `Usage: npm run cli -- import-responses --survey <id> <file.csv|file.xlsx>

One row per organisation: an "org" column (organisation code, e.g. kommunkod 0114) and one
column per question key of the survey. Values are choice keys; separate multiple choices
with ";"; a matrix cell is "row:column;row:column"; an empty cell means no answer.
Only the questions present in the file must be valid. Rows become submitted responses of the
survey's latest round (created when there is none) and are projected for comparisons.
All rows or none are imported; every bad row is listed with its line number. Importing the
same file again changes nothing.`,
  options: { survey: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const survey = stringOption(ctx, 'survey');
    if (!survey) throw new UserError(`--survey is required.\n\n${this.help}`, 2);
    try {
      const r = await importResponses(ctx.db(), survey, await readTabularFile(ctx.positionals[0]));
      ctx.out(`Imported into round ${r.roundId}: ${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged response(s).`);
    } catch (e) {
      importFailure(e);
    }
  },
};
