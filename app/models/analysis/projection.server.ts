import type { Kysely } from 'kysely';
import type { Database, NewAnswerValue } from '../../../db/schema';
import { getCodebook, getSurvey } from '../surveys/surveys.server';

/**
 * The analysis projection (table answer_values): each submitted response becomes one row per
 * answered question, and one row per chosen option for multiple choice, so comparisons run as
 * GROUP BY queries instead of parsing JSON per request.
 *
 * One organisation counts once per survey: projecting a submitted response replaces that
 * organisation's earlier rows for the same survey ("the latest submission wins"). Not so for
 * person surveys (audience `person`), where many respondents of one organisation each count.
 *
 * Reopened responses: reopening (app/models/responses/history.server.ts) leaves the projection
 * alone, so while a response is reopened, comparisons keep counting its last submitted answers.
 * That submission is still the official answer: the edits in progress are a draft that may be
 * abandoned, and a figure should not lose a member (or count it as missing) because an
 * administrator let someone correct a typo. Submitting again re-projects the response, replacing
 * the rows. Only submit (responses.server.ts) and import (import-responses.server.ts) project.
 */

type CodebookEntry = Awaited<ReturnType<typeof getCodebook>>[number];

/** Rows for one response's answers, following the survey's codebook. Free text is not projected. */
export function projectAnswers(
  codebook: readonly CodebookEntry[],
  data: Record<string, unknown>,
  base: Pick<NewAnswerValue, 'response_id' | 'survey_id' | 'organisation_id'>,
): NewAnswerValue[] {
  const rows: NewAnswerValue[] = [];
  const push = (question: string, value: string | null, num: number | null = null) =>
    rows.push({ ...base, question, value, num });
  for (const entry of codebook) {
    const v = data[entry.key];
    if (v === undefined || v === null || v === '') continue;
    switch (entry.kind) {
      case 'single':
        if (typeof v === 'string' || typeof v === 'number') push(entry.key, String(v));
        break;
      case 'multiple':
        if (Array.isArray(v)) for (const option of new Set(v.map(String))) push(entry.key, option);
        break;
      case 'boolean':
        push(entry.key, v === true || v === 'true' ? 'true' : 'false');
        break;
      case 'numeric':
      case 'computed': {
        const n = typeof v === 'number' ? v : Number(v);
        if (Number.isFinite(n)) push(entry.key, String(n), n);
        break;
      }
      case 'matrix':
        // A matrix answer {row: column} becomes one single-choice question per row: `key.row`.
        if (typeof v === 'object' && !Array.isArray(v))
          for (const [row, col] of Object.entries(v as Record<string, unknown>))
            if (col !== null && col !== undefined && col !== '') push(`${entry.key}.${row}`, String(col));
        break;
      default:
        break; // free text and other kinds are not compared
    }
  }
  return rows;
}

/**
 * Replaces the projection rows of one response from responses.data. A response that is not
 * submitted has no rows. `db` may be a transaction.
 * @example await projectResponse(trx, response.id)
 */
export async function projectResponse(db: Kysely<Database>, responseId: number): Promise<void> {
  const response = await db
    .selectFrom('responses as r')
    .innerJoin('assignments as a', 'a.id', 'r.assignment_id')
    .select(['r.id', 'r.survey_id', 'r.data', 'r.submitted_at', 'r.assignment_id', 'a.organisation_id'])
    .where('r.id', '=', responseId)
    .executeTakeFirst();
  await removeProjection(db, responseId);
  if (!response || !response.submitted_at) return;
  const survey = await getSurvey(response.survey_id);
  if (!survey) return;
  if (response.organisation_id !== null && survey.meta.audience !== 'person') {
    await db
      .deleteFrom('answer_values')
      .where('survey_id', '=', response.survey_id)
      .where('organisation_id', '=', response.organisation_id)
      .execute();
  }
  const data = JSON.parse(response.data) as Record<string, unknown>;
  const rows = projectAnswers(await getCodebook(survey), data, {
    response_id: response.id,
    survey_id: response.survey_id,
    organisation_id: response.organisation_id,
  });
  // A joint report (app/models/rounds/joint.server.ts) counts once for each member organisation too,
  // replacing the member's own earlier rows like any later submission.
  const members = await db
    .selectFrom('joint_members as j')
    .innerJoin('assignments as m', 'm.id', 'j.member_assignment_id')
    .select('m.organisation_id')
    .where('j.lead_assignment_id', '=', response.assignment_id)
    .execute();
  const own = [...rows];
  for (const { organisation_id: member } of members) {
    if (member === null) continue;
    await db.deleteFrom('answer_values').where('survey_id', '=', response.survey_id).where('organisation_id', '=', member).execute();
    rows.push(...own.map((r) => ({ ...r, organisation_id: member })));
  }
  await insertAnswerValues(db, rows);
}

/** Deletes the projection rows of one response (e.g. when it is reopened). */
export async function removeProjection(db: Kysely<Database>, responseId: number): Promise<void> {
  await db.deleteFrom('answer_values').where('response_id', '=', responseId).execute();
}

/** Inserts projection rows in chunks that stay under both dialects' parameter limits. */
export async function insertAnswerValues(db: Kysely<Database>, rows: NewAnswerValue[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('answer_values').values(rows.slice(i, i + 500)).execute();
}
