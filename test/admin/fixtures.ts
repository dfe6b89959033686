import type { Kysely } from 'kysely';
import type { AssignmentStatus, Database } from '../../db/schema';
import { runCli } from '~/cli/main';
import { ensureResponse, loadRespondentContext, saveDraft } from '~/models/responses/responses.server';
import { submitResponse } from '~/models/responses/submit.server';
import { createRound } from '~/models/rounds/rounds.server';

/** Kommuner in Stockholms (01, 26 kommuner) and Uppsala län (03, 8 kommuner): 34 in all. */
export async function kommunIds(db: Kysely<Database>, lan: string[] = ['01', '03']) {
  return (await db.selectFrom('organisations').select('id').where('kind', '=', 'kommun').where('lan_code', 'in', lan).execute()).map((r) => r.id);
}

/** An ÖJ 2019 round for the kommuner of 01 and 03, open now and closing in 30 days. */
export async function ojRound(db: Kysely<Database>) {
  const now = Date.now();
  return createRound(db, {
    surveyId: 'oj-vinr-2019',
    title: 'ÖJ 2019 test',
    opensAt: new Date(now - 86_400_000).toISOString(),
    closesAt: new Date(now + 30 * 86_400_000).toISOString(),
    organisationIds: await kommunIds(db),
  });
}

/**
 * Puts the assignment of organisation `code` in `status`, with a response row as the respond
 * model would leave it (fixture shortcut; the respond flow itself is tested elsewhere).
 */
export async function setStatus(db: Kysely<Database>, roundId: number, code: string, status: AssignmentStatus, by = 'anna@kommun.se') {
  const a = await db
    .selectFrom('assignments as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.id'])
    .where('a.round_id', '=', roundId)
    .where('o.code', '=', code)
    .executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  await db.updateTable('assignments').set({ status, updated_at: now }).where('id', '=', a.id).execute();
  await db
    .insertInto('responses')
    .values({
      assignment_id: a.id,
      survey_id: 'oj-vinr-2019',
      data: '{"fortbildning_vuxna":"ja"}',
      version: 1,
      prefilled_keys: null,
      last_saved_at: now,
      last_saved_by: by,
      submitted_at: status === 'submitted' ? now : null,
      submitted_by: status === 'submitted' ? by : null,
      submitted_email: null,
      reference: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return a.id;
}

/** The fixture of the status tests: 4 submitted (0114, 0115, 0180, 0380), 2 drafts (0117, 0305). */
export async function statusFixture(db: Kysely<Database>) {
  const { round } = await ojRound(db);
  for (const code of ['0114', '0115', '0180', '0380']) await setStatus(db, round.id, code, 'submitted');
  for (const code of ['0117', '0305']) await setStatus(db, round.id, code, 'draft');
  return round;
}

/** Runs the CLI against a test database and captures what it prints. */
export async function cli(t: { db: Kysely<Database> }, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, t.db);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A complete, valid ÖJ 2019 answer set. */
export const OJ_2019_ANSWERS = {
  fortbildning_vuxna: 'ja',
  fortbildning_barn: 'ja',
  plan_kompetensutveckling: 'nej',
  overenskommelse_primarvard: 'ja',
  overenskommelse_kvinnojour: 'ja',
  overenskommelse_polis: 'nej',
  systematisk_uppfoljning: 'delvis',
  rutin_skyddade_uppgifter: 'ja',
  kartlaggning_vald: 'nej',
  freda_kortfragor: 'ja',
};

/** Saves a draft and submits through the respond model, as the form at /svar/<token> does. */
export async function answerAndSubmit(db: Kysely<Database>, token: string, by = 'Anna Berg') {
  const ctx = await loadRespondentContext(db, token);
  if (!ctx) throw new Error('unknown token');
  const response = await ensureResponse(db, ctx);
  const draft = await saveDraft(db, { responseId: response.id, surveyId: response.survey_id, baseVersion: response.version, data: { fortbildning_vuxna: 'nej' }, savedBy: by });
  if (!draft.ok) throw new Error(`draft failed: ${draft.reason}`);
  const fresh = await loadRespondentContext(db, token);
  const result = await submitResponse(db, { ...fresh!, response: fresh!.response! }, { baseVersion: draft.version, data: OJ_2019_ANSWERS, submittedBy: by });
  if (!result.ok) throw new Error(`submit failed: ${result.reason}`);
  return { responseId: response.id, assignmentId: ctx.assignment.id };
}
