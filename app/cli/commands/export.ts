import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import { dialectOf } from '../../../db/dialect';
import { ExportError, resolveExportScope, writeExport } from '../../models/exports/export.server';
import { CSV_DIALECTS } from '../../models/exports/writers.server';
import { UserError, stringOption, type Command } from '../command';
import { roundIdArg } from './round-status';

const optionsSchema = z.object({
  survey: z.string({ error: () => '--survey <id> is required' }).min(1, '--survey <id> is required'),
  round: z.string().optional(),
  format: z.enum(['csv', 'xlsx'], { error: () => '--format must be csv or xlsx' }),
  dialect: z.enum(CSV_DIALECTS, { error: () => '--dialect must be rfc4180 or excel-sv' }).optional(),
  labels: z.boolean().optional(),
  out: z.string({ error: () => '--out <file> is required' }).min(1, '--out <file> is required'),
});

export const exportCommand: Command = {
  name: 'export',
  readsSurveys: true,
  summary: "Export a survey's or a round's responses, one row per response (CSV or XLSX)",
  help: `Usage: npm run cli -- export --survey <id> [--round <id>] --format csv|xlsx [--dialect rfc4180|excel-sv] [--labels] --out <file>

Writes every response of the survey (or of one of its rounds) in wide format: response and
round ids, organisation code, name, kind, län and kommungrupp (2017, 2023), person name and
e-mail for person surveys, status, submitted at/by, last saved, version, then one column per
question from the codebook (npm run cli -- codebook <id>):
  multiple choice   one 0/1 column per option, <key>.<value> (ranking: the rank)
  matrix            one column per row, <key>.<row>; matrixdropdown <key>.<row>.<column>
  multipletext      one column per item, <key>.<item>
  paneldynamic, matrixdynamic, file   one cell with the answer as JSON
Cells hold choice keys; --labels writes the Swedish labels instead. XLSX has a second sheet,
"Kodbok", describing every column. Text cells starting with = + - @ tab or CR get a leading
apostrophe against formula injection in CSV (in XLSX they are plain text cells, shown as is).
XLSX writes submitted_at and last_saved_at as date cells in Swedish time (yyyy-mm-dd hh:mm:ss),
wraps multi-line text, and cuts text beyond Excel's 32 767 characters per cell with a marker.
CSV dialects (--dialect, CSV only):
  rfc4180    default: comma separator, decimal point (R, pandas, LibreOffice)
  excel-sv   semicolon separator, decimal comma, CRLF: opens by double-click in Swedish Excel
Both start with a UTF-8 byte order mark. The file is written as a stream (flat memory).`,
  options: { survey: { type: 'string' }, round: { type: 'string' }, format: { type: 'string' }, dialect: { type: 'string' }, labels: { type: 'boolean' }, out: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const parsed = optionsSchema.safeParse({ ...ctx.values, survey: stringOption(ctx, 'survey'), out: stringOption(ctx, 'out') });
    if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => i.message).join('\n'));
    const opts = parsed.data;
    if (opts.dialect && opts.format !== 'csv') throw new UserError('--dialect applies to --format csv only');
    const db = ctx.db();
    let scope;
    try {
      scope = await resolveExportScope(db, { surveyId: opts.survey, roundId: opts.round === undefined ? undefined : roundIdArg(opts.round) });
    } catch (e) {
      if (e instanceof ExportError) throw new UserError(e.message);
      throw e;
    }
    // The export reads every page once: a big SQLite page cache would only add to this process's memory.
    if (dialectOf(db) === 'sqlite') await sql`pragma cache_size = -8192`.execute(db);
    const file = path.resolve(opts.out);
    const out = fs.createWriteStream(file);
    try {
      await Promise.race([once(out, 'open'), once(out, 'error').then(([e]) => Promise.reject(e))]);
    } catch (e) {
      throw new UserError(`Cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      const count = await writeExport(db, scope, { format: opts.format, dialect: opts.dialect, labels: opts.labels, collectGarbage: true }, out);
      ctx.out(`${count} responses of ${scope.survey.meta.id}${scope.round ? ` (round ${scope.round.id})` : ''} written to ${opts.out}.`);
    } catch (e) {
      out.destroy();
      fs.rmSync(file, { force: true }); // no half-written file that looks complete
      throw e;
    }
  },
};
