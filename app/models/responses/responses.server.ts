import { sql, type Kysely } from 'kysely';
import type { Assignment, Database, Db, Organisation, Round, SurveyResponse } from '../../../db/schema';
import { sameValue, type Answers } from '~/utils/merge';
import { inWriteBatch } from './write-batch.server';
import { findAssignmentByToken } from '../rounds/rounds.server';
import { getSurvey, previousVersion, validateAnswers, type AnswerError } from '../surveys/surveys.server';

/**
 * Responses: one per assignment, created lazily when its link is first opened (prefilled from
 * last year’s answers) and saved as versioned drafts; submit.server.ts submits them. Every change writes a
 * response_revisions row, so nothing is ever overwritten without a trace.
 *
 * Concurrency: every save names the version it started from and updates
 * `where version = baseVersion`, in one statement, so two colleagues saving at once can never
 * both win; the loser gets the server's answers back and merges (app/utils/merge.ts).
 */

export type ValidationIssue = AnswerError;

export type SaveResult =
  | { ok: true; version: number; savedAt: string | null; savedBy: string | null; data: Answers }
  | { ok: false; reason: 'conflict'; version: number; data: Answers; base: Answers; savedAt: string | null; savedBy: string | null }
  | { ok: false; reason: 'submitted' | 'closed' | 'not_open' }
  | { ok: false; reason: 'invalid'; errors: ValidationIssue[] };

export interface RespondentContext {
  assignment: Assignment;
  round: Round;
  organisation: Pick<Organisation, 'id' | 'name' | 'kind' | 'code'> | null;
  response: SurveyResponse | undefined;
}

const nowIso = () => new Date().toISOString();
const parse = (json: string | null | undefined): Answers => (json ? (JSON.parse(json) as Answers) : {});

/** The assignment, round, organisation and response behind a link token; undefined if unknown. */
export async function loadRespondentContext(db: Db, token: string): Promise<RespondentContext | undefined> {
  const assignment = await findAssignmentByToken(db, token);
  if (!assignment) return undefined;
  const [round, organisation, response] = await Promise.all([
    db.selectFrom('rounds').selectAll().where('id', '=', assignment.round_id).executeTakeFirstOrThrow(),
    assignment.organisation_id == null
      ? Promise.resolve(undefined)
      : db.selectFrom('organisations').select(['id', 'name', 'kind', 'code']).where('id', '=', assignment.organisation_id).executeTakeFirst(),
    db.selectFrom('responses').selectAll().where('assignment_id', '=', assignment.id).executeTakeFirst(),
  ]);
  return { assignment, round, organisation: organisation ?? null, response };
}

/**
 * What a new form starts with: the organisation's (or person's) answers to the previous version
 * of the same survey family, only for the stable facts the survey marks (meta.prefill.keys), and
 * amounts from the grant ledger of this survey's year (meta.prefill.ledger); limited to keys that
 * exist in this version with a compatible type and choices.
 */
export async function computePrefill(db: Db, assignment: Assignment, surveyId: string): Promise<{ data: Answers; keys: string[] }> {
  const survey = getSurvey(surveyId);
  if (!survey) return { data: {}, keys: [] };
  const stable = new Set(survey.meta.prefill?.keys ?? []);
  const previous = previousVersion(survey);
  let candidate: Answers = {};
  if (previous && stable.size > 0) {
    let query = db
      .selectFrom('responses as r')
      .innerJoin('assignments as a', 'a.id', 'r.assignment_id')
      .select(['r.data', 'r.submitted_at'])
      .where('r.survey_id', '=', previous.meta.id);
    if (assignment.person_email) query = query.where('a.person_email', '=', assignment.person_email);
    else if (assignment.organisation_id != null) query = query.where('a.organisation_id', '=', assignment.organisation_id).where('a.person_email', 'is', null);
    else query = query.where(sql<boolean>`1 = 0`);
    const rows = await query.orderBy('r.updated_at', 'desc').limit(20).execute();
    // A submitted answer is the organisation's word; a draft is used only when nothing was submitted.
    const source = rows.find((r) => r.submitted_at) ?? rows[0];
    // Only the stable facts: last year's money and narrative are facts of their year.
    if (source) candidate = Object.fromEntries(Object.entries(parse(source.data)).filter(([k]) => stable.has(k) || stable.has(k.replace(/-Comment$/, ''))));
  }
  const ledger = survey.meta.prefill?.ledger;
  if (ledger && assignment.organisation_id != null) {
    // The amount granted this survey's year, from the ledger (never last year's form).
    const grant = await db
      .selectFrom('grants')
      .select(['allocated_sek', 'status'])
      .where('organisation_id', '=', assignment.organisation_id)
      .where('program', '=', ledger.program)
      .where('year', '=', survey.meta.year)
      .executeTakeFirst();
    if (grant && grant.status !== 'ej_rekvirerat') candidate[ledger.allocated] = Number(grant.allocated_sek);
  }
  if (Object.keys(candidate).length === 0) return { data: {}, keys: [] };
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = validateAnswers(survey, candidate, 'partial');
    if (result.ok) {
      const data = result.data as Answers;
      const keys = Object.keys(data).filter((k) => k in candidate && sameValue(data[k], candidate[k]));
      return { data: Object.fromEntries(keys.map((k) => [k, data[k]])), keys };
    }
    // Drop what this version no longer accepts (removed key, changed type or choice) and retry.
    const bad = new Set(result.errors.map((e) => e.question));
    candidate = Object.fromEntries(Object.entries(candidate).filter(([k]) => !bad.has(k) && !bad.has(k.replace(/-Comment$/, ''))));
  }
  return { data: {}, keys: [] };
}

/** Returns the assignment's response, creating it (version 0, prefilled) on first use. */
export async function ensureResponse(db: Kysely<Database>, ctx: RespondentContext): Promise<SurveyResponse> {
  if (ctx.response) return ctx.response;
  const prefill = await computePrefill(db, ctx.assignment, ctx.round.survey_id);
  const now = nowIso();
  return inWriteBatch(db, async (trx) => {
    const inserted = await trx
      .insertInto('responses')
      .values({
        assignment_id: ctx.assignment.id,
        survey_id: ctx.round.survey_id,
        data: JSON.stringify(prefill.data),
        version: 0,
        prefilled_keys: prefill.keys.length ? JSON.stringify(prefill.keys) : null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('assignment_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    // Two first visits at once: the other one created it.
    if (!inserted) return trx.selectFrom('responses').selectAll().where('assignment_id', '=', ctx.assignment.id).executeTakeFirstOrThrow();
    await trx
      .insertInto('response_revisions')
      .values({ response_id: inserted.id, version: 0, data: inserted.data, kind: 'prefill', saved_by: null, saved_at: now, note: prefill.keys.length ? `prefilled ${prefill.keys.length} answers` : null })
      .execute();
    return inserted;
  });
}

async function revisionData(db: Db, responseId: number, version: number): Promise<Answers> {
  const row = await db.selectFrom('response_revisions').select('data').where('response_id', '=', responseId).where('version', '=', version).executeTakeFirst();
  return parse(row?.data);
}

/** The answer to a conditional update that matched nothing: submitted meanwhile, or a version conflict. */
export async function conflictOrState(db: Db, responseId: number, baseVersion: number): Promise<Exclude<SaveResult, { ok: true }>> {
  const current = await db
    .selectFrom('responses as r')
    .innerJoin('assignments as a', 'a.id', 'r.assignment_id')
    .select(['r.data', 'r.version', 'r.last_saved_at', 'r.last_saved_by', 'a.status'])
    .where('r.id', '=', responseId)
    .executeTakeFirstOrThrow();
  if (current.status === 'submitted') return { ok: false, reason: 'submitted' };
  return {
    ok: false,
    reason: 'conflict',
    version: current.version,
    data: parse(current.data),
    base: await revisionData(db, responseId, baseVersion),
    savedAt: current.last_saved_at,
    savedBy: current.last_saved_by,
  };
}

/**
 * Draft-mode problems with a set of answers, or null. For checking a first save before the
 * response row is created, so a rejected request leaves nothing behind.
 */
export function draftErrors(surveyId: string, data: unknown): ValidationIssue[] | null {
  const survey = getSurvey(surveyId);
  if (!survey) throw new Error(`unknown survey ${surveyId}`);
  const checked = validateAnswers(survey, data, 'draft');
  return checked.ok ? null : checked.errors;
}

/**
 * Writes a new version of the answers if nobody saved since `baseVersion`. The caller has
 * checked that the response is open for editing (editStateOf). Answers are checked against
 * the survey in draft mode (known keys, choices and types; required questions may be empty).
 */
export async function saveDraft(
  db: Kysely<Database>,
  input: { responseId: number; surveyId: string; baseVersion: number; data: Answers; savedBy: string | null; kind?: 'draft' | 'restore'; note?: string | null },
): Promise<SaveResult> {
  const survey = getSurvey(input.surveyId);
  if (!survey) throw new Error(`unknown survey ${input.surveyId}`);
  const checked = validateAnswers(survey, input.data, 'draft');
  if (!checked.ok) return { ok: false, reason: 'invalid', errors: checked.errors };
  const data = checked.data as Answers;
  const json = JSON.stringify(data);
  return inWriteBatch(db, async (trx) => {
    const now = nowIso();
    const updated = await trx
      .updateTable('responses')
      .set((eb) => ({ data: json, version: eb('version', '+', 1), last_saved_at: now, last_saved_by: input.savedBy, updated_at: now }))
      .where('id', '=', input.responseId)
      .where('version', '=', input.baseVersion)
      // Belt and braces: routes check the state first, but a submitted response is never a draft.
      .where((eb) => eb.not(eb.exists(eb.selectFrom('assignments').select('id').whereRef('assignments.id', '=', 'responses.assignment_id').where('status', '=', 'submitted'))))
      .returning(['version', 'assignment_id'])
      .executeTakeFirst();
    if (!updated) return conflictOrState(trx, input.responseId, input.baseVersion);
    await trx
      .insertInto('response_revisions')
      .values({ response_id: input.responseId, version: updated.version, data: json, kind: input.kind ?? 'draft', saved_by: input.savedBy, saved_at: now, note: input.note ?? null })
      .execute();
    await trx.updateTable('assignments').set({ status: 'draft', updated_at: now }).where('id', '=', updated.assignment_id).where('status', '=', 'not_started').execute();
    return { ok: true, version: updated.version, savedAt: now, savedBy: input.savedBy, data };
  });
}
