import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { ORGANISATION_KINDS } from '../../../db/schema';
import {
  audienceProblem,
  codesFromFile,
  createRoundAudited,
  DEFAULT_SCHEDULE,
  defaultDeadlineDate,
  parseAdminDate,
  parseSchedule,
  selectTargets,
} from '../../models/rounds/admin.server';
import { personsFromFile } from '../../models/rounds/persons.server';
import { TabularError } from '../../utils/tabular.server';
import { accessLink, RoundInputError } from '../../models/rounds/rounds.server';
import { getSurvey } from '../../models/surveys/surveys.server';
import { safeCell } from '../../utils/spreadsheet-safe';
import { UserError, type Command } from '../command';

const list = (name: string, pattern: RegExp, example: string) =>
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((v) => v.every((s) => pattern.test(s)), `${name} must be a comma-separated list like ${example}`)
    .optional();

const optionsSchema = z.object({
  survey: z.string({ error: '--survey is required' }).min(1, '--survey is required'),
  title: z.string({ error: '--title is required' }).trim().min(1, '--title is required'),
  opens: z.string({ error: '--opens is required (YYYY-MM-DD)' }),
  closes: z.string().optional(),
  kind: z.enum(ORGANISATION_KINDS, { error: () => `--kind must be one of: ${ORGANISATION_KINDS.join(', ')}` }).optional(),
  orgs: z.string().optional(),
  persons: z.string().optional(),
  lan: list('--lan', /^\d{2}$/, '01,03'),
  kg: list('--kg', /^[A-C]\d$/, 'A1,B3'),
  reminders: z.string().optional(),
  'links-out': z.string().optional(),
});

async function readFile(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch {
    throw new UserError(`Cannot read ${file}`);
  }
}

export const roundCreate: Command = {
  name: 'round create',
  readsSurveys: true,
  summary: 'Create a round of a survey for a set of organisations (or persons)',
  help: `Usage: npm run cli -- round create --survey <id> --title <t> --opens <date> [--closes <date>]
         (--kind <kind> [--lan 01,03] [--kg A1,B3] | --orgs <codes.csv> | --persons <people.csv>)
         [--reminders=-14,-3,2] [--links-out <file.csv>]

Creates a round and one assignment (with a personal link) per target organisation, or per
person for surveys answered by named persons. Prints the new round's id on stdout.

Options:
  --survey ID        survey file id, e.g. oj-vinr-2019
  --title TEXT       the round's title
  --opens DATE       opening date (YYYY-MM-DD = start of that day, Swedish time) or ISO timestamp
  --closes DATE      deadline (YYYY-MM-DD = end of that day); default: the survey's usual deadline
  --kind KIND        all active organisations of a kind: ${ORGANISATION_KINDS.join(', ')}
  --lan CODES        with --kind: only these län (two-digit codes, comma-separated)
  --kg CODES         with --kind: only these SKR kommungrupper (2017), e.g. A1,B3
  --orgs FILE        CSV/XLSX with organisation codes (a column org/kod/code, or one code a line)
  --persons FILE     CSV/XLSX with columns name,email (person surveys)
  --reminders DAYS   reminder days relative to the deadline (default ${DEFAULT_SCHEDULE.join(',')});
                     write it as --reminders=-14,-3,2
  --links-out FILE   write org,name,link for every assignment to FILE (CSV). The links are
                     secret: keep the file safe.`,
  options: {
    survey: { type: 'string' },
    title: { type: 'string' },
    opens: { type: 'string' },
    closes: { type: 'string' },
    kind: { type: 'string' },
    orgs: { type: 'string' },
    persons: { type: 'string' },
    lan: { type: 'string' },
    kg: { type: 'string' },
    reminders: { type: 'string' },
    'links-out': { type: 'string' },
  },
  async run(ctx) {
    const parsed = optionsSchema.safeParse(ctx.values);
    if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => i.message).join('\n'));
    const o = parsed.data;
    const survey = getSurvey(o.survey);
    if (!survey) throw new UserError(`Unknown survey "${o.survey}". See the surveys/ folder for ids.`);
    const meta = survey.meta;

    const opensAt = parseAdminDate(o.opens, 'start');
    if (!opensAt) throw new UserError(`--opens is not a date: ${o.opens} (use YYYY-MM-DD)`);
    const closesDate = o.closes ?? defaultDeadlineDate(meta.defaultDeadline, o.opens);
    const closesAt = closesDate ? parseAdminDate(closesDate, 'end') : undefined;
    if (!closesAt) throw new UserError(`--closes is not a date: ${o.closes} (use YYYY-MM-DD)`);
    if (closesAt <= opensAt) throw new UserError('--closes must be after --opens');
    const schedule = o.reminders === undefined ? DEFAULT_SCHEDULE : parseSchedule(o.reminders);
    if (!schedule) throw new UserError('--reminders must be whole days, e.g. --reminders=-14,-3,2');

    const db = ctx.db();
    const sources = [o.kind, o.orgs, o.persons].filter(Boolean).length;
    if (sources !== 1) throw new UserError('Give exactly one of --kind, --orgs or --persons');
    let organisationIds: number[] = [];
    let persons: { name: string; email: string }[] = [];
    if (meta.audience === 'person') {
      if (!o.persons) throw new UserError(`Survey ${meta.id} is answered by named persons: give --persons <file.csv> with name,email`);
      const { persons: found, problems } = await personsFromFile(await readFile(o.persons), path.basename(o.persons)).catch((e: Error) => {
        throw new UserError(e instanceof TabularError ? `${o.persons}: ${e.message}` : `Cannot read ${o.persons}: ${e.message}`);
      });
      if (problems.length) throw new UserError(`Not name,email on line(s):\n${problems.map((p) => `  line ${p.line}: ${p.text}`).join('\n')}`);
      persons = found;
    } else {
      if (o.persons) throw new UserError(`Survey ${meta.id} is answered by organisations (${meta.audience.join(', ')}): use --kind or --orgs`);
      const codes = o.orgs ? await codesFromFile(await readFile(o.orgs), path.basename(o.orgs)).catch((e: Error) => {
        throw new UserError(e.message);
      }) : undefined;
      if (codes && codes.length === 0) throw new UserError(`No organisation codes found in ${o.orgs}`);
      const selection = await selectTargets(db, { kind: o.kind, lan: o.lan, kg: o.kg, codes });
      if (selection.unknownCodes.length) throw new UserError(`Unknown organisation codes: ${selection.unknownCodes.join(', ')}`);
      organisationIds = selection.organisations.map((x) => x.id);
      const wrong = await audienceProblem(db, meta.audience, organisationIds);
      if (wrong) throw new UserError(`Survey ${meta.id} is for ${meta.audience.join(', ')}; ${wrong.count} target(s) are ${wrong.kinds.join(', ')}`);
    }
    if (organisationIds.length + persons.length === 0) throw new UserError('No targets: the selection matches no organisation');

    let created;
    try {
      created = await createRoundAudited(
        db,
        { surveyId: meta.id, title: o.title, opensAt, closesAt, reminderSchedule: schedule, organisationIds, persons },
        { id: null, label: 'cli' },
      );
    } catch (e) {
      if (e instanceof RoundInputError) throw new UserError(e.message);
      throw e;
    }
    if (o['links-out']) {
      // Links are recomputed from the stored nonces, exactly as reminder e-mails do.
      const rows = await db
        .selectFrom('assignments as a')
        .leftJoin('organisations as x', 'x.id', 'a.organisation_id')
        .select(['a.id', 'a.token_nonce', 'a.person_name', 'a.person_email', 'x.code', 'x.name'])
        .where('a.round_id', '=', created.round.id)
        .orderBy('x.code')
        .orderBy('a.id')
        .execute();
      const records = rows.map((a) => [safeCell(a.code ?? ''), safeCell(a.person_name ?? a.person_email ?? a.name ?? ''), accessLink(a)]);
      await fs.writeFile(o['links-out'], stringify([['org', 'name', 'link'], ...records]), { mode: 0o600 });
    }
    ctx.out(String(created.round.id));
    ctx.err(`Created round ${created.round.id} "${created.round.title}" with ${created.assignments.length} assignments, open ${opensAt} – ${closesAt}.`);
  },
};
