import type { Kysely } from 'kysely';
import type { AllocationRule, Database, GrantProgram, GrantYear, RecipientKind } from '../../../db/schema';
import { getSurvey } from '../surveys/surveys.server';
import { audit } from '../auth/audit.server';

/**
 * Grant programmes (e.g. `vinr-utvecklingsmedel`) and their years: one year of a programme for
 * one kind of recipient, with its total, allocation rule, deadlines and the återrapportering
 * survey that reports on it.
 */

export class GrantInputError extends Error {
  constructor(
    message: string,
    readonly sv: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface NewYearInput {
  programId: number;
  year: number;
  recipientKind: RecipientKind;
  rule: AllocationRule;
  totalSek: number;
  floorSek: number;
  requestDeadline: string;
  reportDeadline: string;
  reportSurveyId: string | null;
  /** Days before the rekvisition deadline for the automatic reminder; null: none. Default 7. */
  requestReminderDays?: number | null;
}

export const DEFAULT_REQUEST_REMINDER_DAYS = 7;

function checkReminderDays(days: number | null): void {
  if (days !== null && (!Number.isSafeInteger(days) || days < 1 || days > 90))
    throw new GrantInputError('request_reminder_days must be 1–90 days, or none', 'Påminnelsen ska skickas 1–90 dagar före sista dag, eller inte alls.', 'requestReminderDays');
}

export interface YearSummary extends GrantYear {
  program_code: string;
  program_name: string;
  recipients: number;
  requested: number;
}

const nowIso = () => new Date().toISOString();

/** @example await createProgram(db, { code: 'vinr-utvecklingsmedel', name: 'Utvecklingsmedel ViNR' }, userId) */
export async function createProgram(db: Kysely<Database>, input: { code: string; name: string }, actorUserId: number | null): Promise<GrantProgram> {
  const existing = await db.selectFrom('grant_programs').select('id').where('code', '=', input.code).executeTakeFirst();
  if (existing) throw new GrantInputError(`program "${input.code}" already exists`, `Det finns redan ett program med koden ${input.code}.`, 'code');
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const row = await trx.insertInto('grant_programs').values({ code: input.code, name: input.name, created_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow();
    await audit(trx, { actorUserId, action: 'grant.program.create', entity: 'grant_program', entityId: row.id, after: input });
    return row;
  });
}

/** Adds a year of a programme for one kind of recipient; the allocation is computed separately. */
export async function createYear(db: Kysely<Database>, input: NewYearInput, actorUserId: number | null): Promise<GrantYear> {
  if (input.reportSurveyId && !getSurvey(input.reportSurveyId))
    throw new GrantInputError(`unknown survey "${input.reportSurveyId}"`, `Enkäten ${input.reportSurveyId} finns inte.`, 'reportSurveyId');
  const reminderDays = input.requestReminderDays === undefined ? DEFAULT_REQUEST_REMINDER_DAYS : input.requestReminderDays;
  checkReminderDays(reminderDays);
  if (input.rule === 'population_floor' && input.recipientKind !== 'kommun')
    throw new GrantInputError('the population rule is for kommuner', 'Fördelning efter folkmängd gäller kommuner.', 'rule');
  if (Date.parse(input.reportDeadline) <= Date.parse(input.requestDeadline))
    throw new GrantInputError('the report deadline must come after the rekvisition deadline', 'Sista dag för återrapportering måste komma efter sista dag för rekvisition.', 'reportDeadline');
  const dup = await db
    .selectFrom('grant_years')
    .select('id')
    .where('program_id', '=', input.programId)
    .where('year', '=', input.year)
    .where('recipient_kind', '=', input.recipientKind)
    .executeTakeFirst();
  if (dup) throw new GrantInputError('that year already exists for that kind of recipient', 'Året finns redan för den mottagartypen.', 'year');
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const row = await trx
      .insertInto('grant_years')
      .values({
        program_id: input.programId,
        year: input.year,
        recipient_kind: input.recipientKind,
        rule: input.rule,
        total_sek: input.totalSek,
        floor_sek: input.rule === 'population_floor' ? input.floorSek : 0,
        population_year: null,
        request_deadline: new Date(input.requestDeadline).toISOString(),
        request_reminder_days: reminderDays,
        report_deadline: new Date(input.reportDeadline).toISOString(),
        report_survey_id: input.reportSurveyId,
        allocated_at: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId, action: 'grant.year.create', entity: 'grant_year', entityId: row.id, after: input });
    return row;
  });
}

/**
 * Sets how many days before the rekvisition deadline the job loop reminds those who have not
 * answered (null: no automatic reminder); audited.
 */
export async function setRequestReminderDays(db: Kysely<Database>, yearId: number, days: number | null, actorUserId: number | null): Promise<void> {
  checkReminderDays(days);
  const before = await db.selectFrom('grant_years').select('request_reminder_days').where('id', '=', yearId).executeTakeFirst();
  if (!before) throw new GrantInputError('no such grant year', 'Året finns inte.');
  if (before.request_reminder_days === days) return;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('grant_years').set({ request_reminder_days: days, updated_at: nowIso() }).where('id', '=', yearId).execute();
    await audit(trx, { actorUserId, action: 'grant.year.reminder', entity: 'grant_year', entityId: yearId, before, after: { request_reminder_days: days } });
  });
}

export async function listPrograms(db: Kysely<Database>): Promise<GrantProgram[]> {
  return db.selectFrom('grant_programs').selectAll().orderBy('code').execute();
}

const yearQuery = (db: Kysely<Database>) =>
  db
    .selectFrom('grant_years as y')
    .innerJoin('grant_programs as p', 'p.id', 'y.program_id')
    .selectAll('y')
    .select(['p.code as program_code', 'p.name as program_name'])
    .select((eb) => [
      eb.selectFrom('grant_ledger as l').whereRef('l.grant_year_id', '=', 'y.id').select((e) => e.fn.countAll<number>().as('n')).as('recipients'),
      eb
        .selectFrom('grant_ledger as l')
        .whereRef('l.grant_year_id', '=', 'y.id')
        .where('l.requested_at', 'is not', null)
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('requested'),
    ]);

/** Every year of every programme, newest first. */
export async function listYears(db: Kysely<Database>): Promise<YearSummary[]> {
  const rows = await yearQuery(db).orderBy('p.code').orderBy('y.year', 'desc').orderBy('y.recipient_kind').execute();
  return rows.map(normaliseYear);
}

export async function getYear(db: Kysely<Database>, yearId: number): Promise<YearSummary | undefined> {
  const row = await yearQuery(db).where('y.id', '=', yearId).executeTakeFirst();
  return row ? normaliseYear(row) : undefined;
}

function normaliseYear<T extends { total_sek: number; floor_sek: number; recipients: number | null; requested: number | null }>(row: T) {
  return { ...row, total_sek: Number(row.total_sek), floor_sek: Number(row.floor_sek), recipients: Number(row.recipients ?? 0), requested: Number(row.requested ?? 0) };
}

/** The rekvisition deadline for one recipient: the year's, or the administrator's extension when later. */
export function requestDeadlineOf(year: Pick<GrantYear, 'request_deadline'>, row: { request_extended_until: string | null }): string {
  const ext = row.request_extended_until;
  return ext && Date.parse(ext) > Date.parse(year.request_deadline) ? ext : year.request_deadline;
}
