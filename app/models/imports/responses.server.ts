import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { Tabular } from '../../utils/tabular.server';
import { projectResponse } from '../analysis/projection.server';
import { ImportRowsError, type RowError } from './errors.server';
import { addAssignments, createRound } from '../rounds/rounds.server';
import { getCodebook, getSurvey, validateAnswers, type CodebookEntry, type LoadedSurvey } from '../surveys/surveys.server';

/**
 * Imports historical answers from a wide table: an `org` column (organisation code) plus one
 * column per question key. Choice keys as values, `;` between multiple choices, `row:column;…`
 * for a matrix, an empty cell for no answer. Only the columns present must be valid.
 * Rows become submitted responses of the survey's latest round (created when there is none).
 */

export interface ResponseImportResult {
  roundId: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** Turns one cell into the value SurveyJS would store for that question. */
function cellValue(entry: CodebookEntry, text: string): unknown {
  switch (entry.kind) {
    case 'multiple':
      return text.split(';').map((s) => s.trim()).filter(Boolean);
    case 'numeric':
      return /^-?\d+([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : text;
    case 'boolean':
      return /^(true|ja|1)$/i.test(text) ? true : /^(false|nej|0)$/i.test(text) ? false : text;
    case 'matrix':
      return Object.fromEntries(
        text.split(';').map((pair) => pair.split(':').map((s) => s.trim()) as [string, string]).filter(([r, c]) => r && c),
      );
    default:
      return text;
  }
}

/** Validates every row; returns the answer sets keyed by organisation id, or throws ImportRowsError. */
export async function parseResponseRows(db: Kysely<Database>, survey: LoadedSurvey, table: Tabular): Promise<Map<number, Record<string, unknown>>> {
  const codebook = new Map(getCodebook(survey).map((e) => [e.key, e] as const));
  const headerErrors: RowError[] = [];
  if (!table.headers.includes('org')) headerErrors.push({ line: 1, message: 'missing column: org' });
  const unknown = table.headers.filter((h) => h !== 'org' && !codebook.has(h));
  if (unknown.length) headerErrors.push({ line: 1, message: `unknown question column(s) for ${survey.meta.id}: ${unknown.join(', ')}` });
  if (headerErrors.length) throw new ImportRowsError(headerErrors);

  const orgs = new Map((await db.selectFrom('organisations').select(['id', 'code']).execute()).map((o) => [o.code, o.id] as const));
  const answers = new Map<number, Record<string, unknown>>();
  const lineOf = new Map<number, number>();
  const errors: RowError[] = [];
  for (const { line, cells } of table.rows) {
    const messages: string[] = [];
    const orgId = orgs.get(cells.org);
    if (orgId === undefined) messages.push(`unknown org "${cells.org}"`);
    else if (lineOf.has(orgId)) messages.push(`org ${cells.org} is also on line ${lineOf.get(orgId)}`);
    const data: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(cells)) if (key !== 'org' && text !== '') data[key] = cellValue(codebook.get(key)!, text);
    const result = validateAnswers(survey, data, 'partial');
    if (!result.ok) messages.push(...result.errors.map((e) => (e.question ? `${e.question}: ${e.detail}` : e.detail)));
    if (messages.length) errors.push({ line, message: messages.join('; ') });
    else if (orgId !== undefined) {
      lineOf.set(orgId, line);
      answers.set(orgId, result.ok ? result.data : data);
    }
  }
  if (errors.length) throw new ImportRowsError(errors);
  if (answers.size === 0) throw new ImportRowsError([{ line: 1, message: 'the file has no data rows' }]);
  return answers;
}

/**
 * Validates all rows first (nothing is written when any row is bad), then stores them as
 * submitted responses and projects them. Importing the same file twice changes nothing.
 * @example await importResponses(db, 'oj-vinr-2019', await readTabularFile('oj.csv'))
 */
export async function importResponses(
  db: Kysely<Database>,
  surveyId: string,
  table: Tabular,
  /** Import into the round with this title (created when missing) instead of the latest round. */
  options: { roundTitle?: string } = {},
): Promise<ResponseImportResult> {
  const survey = getSurvey(surveyId);
  if (!survey) throw new ImportRowsError([{ line: 1, message: `unknown survey "${surveyId}"` }], `Unknown survey "${surveyId}"`);
  if (survey.meta.audience === 'person') throw new ImportRowsError([{ line: 1, message: `${surveyId} is answered by persons, not organisations` }]);
  const answers = await parseResponseRows(db, survey, table);

  // The round and its assignments are made through the rounds model (its own transactions);
  // both are harmless if the response transaction below fails, and are reused on a retry.
  let roundQuery = db.selectFrom('rounds').select('id').where('survey_id', '=', surveyId);
  if (options.roundTitle) roundQuery = roundQuery.where('title', '=', options.roundTitle);
  let round = await roundQuery.orderBy('id', 'desc').executeTakeFirst();
  if (!round) {
    const year = survey.meta.year;
    // The round covers the whole population (every active organisation of the audience's kinds
    // among the imported rows), so its response rate is 270/290, not 100 % of those with a row.
    // No reminders: it is history.
    const kinds = [...new Set((await db.selectFrom('organisations').select('kind').where('id', 'in', [...answers.keys(), -1]).execute()).map((o) => o.kind))].filter((k) =>
      survey.meta.audience.includes(k),
    );
    const population = kinds.length
      ? (await db.selectFrom('organisations').select('id').where('kind', 'in', kinds).where('active', '=', 1).execute()).map((o) => o.id)
      : [];
    const created = await createRound(db, {
      surveyId,
      title: options.roundTitle ?? `${survey.meta.title} (import)`,
      opensAt: `${year}-01-01T00:00:00Z`,
      closesAt: `${year + 1}-${survey.meta.defaultDeadline}T23:59:59Z`,
      reminderSchedule: [],
      organisationIds: population,
    });
    round = { id: created.round.id };
  }
  const roundId = round.id;
  await addAssignments(db, roundId, { organisationIds: [...answers.keys()] });
  const assignments = new Map(
    (await db.selectFrom('assignments').select(['id', 'organisation_id']).where('round_id', '=', roundId).where('person_email', 'is', null).execute()).map(
      (a) => [a.organisation_id!, a.id] as const,
    ),
  );

  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const result: ResponseImportResult = { roundId, created: 0, updated: 0, unchanged: 0 };
    const existing = new Map(
      (await trx.selectFrom('responses').select(['id', 'assignment_id', 'data', 'version', 'submitted_at']).where('assignment_id', 'in', [...assignments.values()]).execute()).map(
        (r) => [r.assignment_id, r] as const,
      ),
    );
    for (const [orgId, data] of answers) {
      const assignmentId = assignments.get(orgId)!;
      const json = JSON.stringify(data);
      const prev = existing.get(assignmentId);
      let responseId: number;
      let version: number;
      if (prev && prev.data === json && prev.submitted_at) {
        result.unchanged++;
        continue;
      }
      if (prev) {
        version = prev.version + 1;
        responseId = prev.id;
        await trx
          .updateTable('responses')
          .set({ data: json, version, last_saved_at: now, last_saved_by: 'import', submitted_at: now, submitted_by: 'import', updated_at: now })
          .where('id', '=', prev.id)
          .execute();
        result.updated++;
      } else {
        version = 1;
        const inserted = await trx
          .insertInto('responses')
          .values({
            assignment_id: assignmentId,
            survey_id: surveyId,
            data: json,
            version,
            prefilled_keys: null,
            last_saved_at: now,
            last_saved_by: 'import',
            submitted_at: now,
            submitted_by: 'import',
            reference: null,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        responseId = inserted.id;
        result.created++;
      }
      await trx.insertInto('response_revisions').values({ response_id: responseId, version, data: json, kind: 'import', saved_by: 'import', saved_at: now }).execute();
      await trx.updateTable('assignments').set({ status: 'submitted', updated_at: now }).where('id', '=', assignmentId).execute();
      await projectResponse(trx, responseId);
    }
    return result;
  });
}
