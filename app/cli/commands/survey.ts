import fs from 'node:fs';
import { z } from 'zod';
import { diffFile, publishFile } from '../../models/publishing/publish-file.server';
import type { SurveyChange } from '../../models/surveys/diff.server';
import { changeId } from '../../models/surveys/diff.server';
import { UserError, type Command, type CommandContext } from '../command';

/** Reads the file as text, refusing what is too big before reading it whole. */
function readText(file: string, exitCode = 1): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, exitCode);
  }
}

function changeLine(c: SurveyChange): string {
  return `${c.breaking ? 'BREAKING ' : ''}${c.kind} ${c.key}${c.value ? ` ${c.value}` : ''}: ${c.detail}  [${changeId(c)}]`;
}

function printChanges(ctx: CommandContext, changes: SurveyChange[]) {
  for (const c of changes) if (c.kind !== 'unchanged') ctx.out(changeLine(c));
}

const publishOptions = z.object({
  confirm: z.array(z.string().min(1)).default([]),
  reason: z.string().max(2000, '--reason: at most 2000 characters').optional(),
  'dry-run': z.boolean().default(false),
});

export const surveyPublish: Command = {
  name: 'survey publish',
  summary: 'Publish a survey file as a new version in the database (as /admin/enkater does)',
  help: `Usage: npm run cli -- survey publish <file.json> [--confirm <change-id>]… [--reason <text>] [--dry-run]

Publishes one of our survey files ({ "meta", "survey" }) as a version stored in the database,
with exactly the checks of check-survey and the diff against the previous version of its family.
A breaking change (type change, removed or recoded choice) blocks publishing unless the key gets a
new name or the change is confirmed: --confirm <change-id> (printed in brackets by the diff; repeat
for each) with --reason (at least 10 characters, kept in the audit log). A browser draft with the
same id is replaced by the file. The upload, the publish and each confirmed break are audited with
the before and after JSON. --dry-run checks and prints the diff without storing anything.
Exits 1 on any error; nothing is stored then.`,
  options: { confirm: { type: 'string', multiple: true }, reason: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(ctx) {
    const opts = publishOptions.safeParse(ctx.values);
    if (!opts.success) throw new UserError(opts.error.issues.map((i) => i.message).join('\n'));
    const file = ctx.positionals[0];
    const result = await publishFile(ctx.db(), { id: null }, readText(file), { confirm: opts.data.confirm, reason: opts.data.reason, dryRun: opts.data['dry-run'] });
    if (result.review) {
      ctx.out(`${file}: compared with ${result.review.diff.previousId ?? '(first version of its family)'}`);
      printChanges(ctx, result.review.diff.changes);
      for (const w of result.review.warnings) ctx.out(`${file}: warning: ${w.message}`);
    }
    if (!result.ok) {
      for (const e of result.errors) ctx.err(`${file}: error: ${e}`);
      ctx.err(`${file}: not published; nothing was stored`);
      return 1;
    }
    ctx.out(opts.data['dry-run'] ? `${file}: OK, ${result.id} can be published (dry run: nothing stored)` : `${file}: published ${result.id}`);
    return 0;
  },
};

const diffOptions = z.object({ format: z.enum(['table', 'json'], { error: () => '--format must be table or json' }).default('table') });

export const surveyDiff: Command = {
  name: 'survey diff',
  summary: 'Compare a survey version with a file, key by key, and say what each change does to trends',
  help: `Usage: npm run cli -- survey diff <survey-id> <file.json> [--format table|json]

Compares version <survey-id> (a file in surveys/, a published version or a draft) with a survey
file (ours, or a plain SurveyJS JSON taken as the next year), as /admin/enkater shows it: added
and removed questions, changed texts, added, removed, recoded and relabelled choices, type
changes. Breaking changes are marked BREAKING, with the id that survey publish --confirm takes.

Exit codes (for scripts and CI):
  0  the file is compatible: no breaking change (also when nothing changed)
  1  the diff has breaking changes (survey publish would block until they are confirmed)
  2  bad input: unknown <survey-id>, unreadable file, not JSON or not a survey, bad option`,
  options: { format: { type: 'string' } },
  positionals: { min: 2, max: 2 },
  async run(ctx) {
    const opts = diffOptions.safeParse(ctx.values);
    if (!opts.success) throw new UserError(opts.error.issues.map((i) => i.message).join('\n'), 2);
    const [id, file] = ctx.positionals;
    const result = await diffFile(ctx.db(), id, readText(file, 2));
    if (!result.ok) {
      for (const e of result.errors) ctx.err(`${file}: error: ${e}`);
      return 2;
    }
    const { diff } = result;
    const code = diff.breaking.length > 0 ? 1 : 0;
    if (opts.data.format === 'json') {
      ctx.out(JSON.stringify({ previousId: diff.previousId, changes: diff.changes.filter((c) => c.kind !== 'unchanged').map((c) => ({ id: changeId(c), ...c })) }, null, 2));
      return code;
    }
    printChanges(ctx, diff.changes);
    const n = diff.changes.filter((c) => c.kind !== 'unchanged').length;
    ctx.out(`${id} → ${file}: ${n} change${n === 1 ? '' : 's'}, ${diff.breaking.length} breaking`);
    return code;
  },
};
