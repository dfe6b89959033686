import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { listAllStatus, roundRates, type RateRow } from '../../models/rounds/status.server';
import { getRound } from '../../models/rounds/rounds.server';
import { safeRow } from '../../utils/spreadsheet-safe';
import { UserError, type Command } from '../command';

const optionsSchema = z.object({
  format: z.enum(['json', 'csv', 'table'], { error: () => '--format must be json, csv or table' }).default('table'),
});

const pct = (r: RateRow) => `${(r.rate * 100).toFixed(1)}%`;
const rateLine = (label: string, r: RateRow) => `  ${label.padEnd(40)} ${String(r.submitted).padStart(5)} / ${String(r.total).padEnd(5)} ${pct(r).padStart(6)}`;

/** Parses a positive integer round id or fails with a usage message. */
export function roundIdArg(value: string | undefined): number {
  const id = Number(value);
  if (!value || !Number.isInteger(id) || id <= 0) throw new UserError(`Round id must be a positive whole number, got "${value ?? ''}"`);
  return id;
}

export const roundStatus: Command = {
  name: 'round status',
  summary: "Print a round's per-assignment status and response rates",
  help: `Usage: npm run cli -- round status <roundId> [--format json|csv|table]

Prints every assignment of the round (organisation code and name, län, kommungrupp, status,
last saved, submitted at/by, reminders) and the response rates overall, by län and by
kommungrupp (SKR 2017).
  table  (default) rates first, then one line per assignment
  json   { round, rates: { overall, byStatus, byLan, byKommungrupp }, assignments: [...] }
  csv    one row per assignment on stdout; the rates go to stderr`,
  options: { format: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const parsed = optionsSchema.safeParse(ctx.values);
    if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => i.message).join('\n'));
    const roundId = roundIdArg(ctx.positionals[0]);
    const db = ctx.db();
    const round = await getRound(db, roundId);
    if (!round) throw new UserError(`No round with id ${roundId}`);
    const [rates, rows] = await Promise.all([roundRates(db, roundId), listAllStatus(db, roundId)]);
    const assignments = rows.map((r) => ({
      assignmentId: r.assignmentId,
      org: r.code,
      name: r.name,
      email: r.personEmail,
      lan: r.lanCode,
      kommungrupp: r.kommungrupp,
      status: r.status,
      lastSavedAt: r.lastSavedAt,
      submittedAt: r.submittedAt,
      submittedBy: r.submittedBy,
      reminders: r.reminders,
      extendedUntil: r.extendedUntil,
    }));
    const summary = [
      `Round ${round.id}: ${round.title} (${round.survey_id}), closes ${round.closes_at}${round.closed_at ? `, closed ${round.closed_at}` : ''}`,
      rateLine('Overall (submitted / total)', rates.overall),
      `  by status: ${Object.entries(rates.byStatus).map(([s, n]) => `${s} ${n}`).join(', ')}`,
      'By län:',
      ...rates.byLan.map((r) => rateLine(`${r.code ?? '--'} ${r.name ?? 'no län'}`, r)),
      'By kommungrupp (SKR 2017):',
      ...rates.byKommungrupp.map((r) => rateLine(`${r.code ?? '--'} ${r.name ?? 'no kommungrupp'}`, r)),
    ];
    if (parsed.data.format === 'json') {
      ctx.out(JSON.stringify({ round, rates, assignments }, null, 2));
    } else if (parsed.data.format === 'csv') {
      const columns = ['assignmentId', 'org', 'name', 'email', 'lan', 'kommungrupp', 'status', 'lastSavedAt', 'submittedAt', 'submittedBy', 'reminders', 'extendedUntil'];
      ctx.out(stringify(assignments.map(safeRow), { header: true, columns }).trimEnd());
      ctx.err(summary.join('\n'));
    } else {
      ctx.out(summary.join('\n'));
      ctx.out('');
      for (const a of assignments) {
        ctx.out(`${(a.org ?? '').padEnd(6)} ${a.status.padEnd(11)} ${String(a.reminders).padStart(2)} ${(a.submittedAt ?? a.lastSavedAt ?? '').padEnd(24)} ${a.name}`);
      }
    }
  },
};
