import type { Kysely } from 'kysely';
import { inTransaction } from '../../../db/dialect';
import type { Database, Db } from '../../../db/schema';
import { sameValue, type Answers } from '~/utils/merge';
import { saveDraft } from './responses.server';

/**
 * The history of a response for administrators: reopen a submission, list what changed in
 * each version, restore an earlier version. Nothing here rewrites history; every action adds a
 * revision. The admin routes wrap these with the audit log.
 */

const nowIso = () => new Date().toISOString();
const parse = (json: string | null | undefined): Answers => (json ? (JSON.parse(json) as Answers) : {});

/** Thrown when an admin action does not fit the response's state (e.g. reopening a draft). */
export class ResponseStateError extends Error {}

/**
 * Reopens a submitted response for editing. The submission stays in the history; a `reopen`
 * revision records who and why. Returns the assignment before and after.
 */
export async function reopenResponse(db: Kysely<Database>, assignmentId: number, input: { by: string; reason: string }) {
  const reason = input.reason.trim();
  if (!reason) throw new ResponseStateError('a reason is required to reopen a response');
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('assignments').selectAll().where('id', '=', assignmentId).executeTakeFirst();
    if (!before) throw new ResponseStateError(`no assignment ${assignmentId}`);
    if (before.status !== 'submitted') throw new ResponseStateError(`assignment ${assignmentId} is ${before.status}, not submitted`);
    const now = nowIso();
    const response = await trx
      .updateTable('responses')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
      .where('assignment_id', '=', assignmentId)
      .returning(['id', 'version', 'data'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('response_revisions')
      .values({ response_id: response.id, version: response.version, data: response.data, kind: 'reopen', saved_by: input.by, saved_at: now, note: reason })
      .execute();
    const after = await trx.updateTable('assignments').set({ status: 'reopened', updated_at: now }).where('id', '=', assignmentId).returningAll().executeTakeFirstOrThrow();
    return { before, after };
  });
}

/**
 * Makes an earlier version the current answers again, as a new `restore` revision (history is
 * never rewritten). Refused for a submitted response: reopen it first.
 */
export async function restoreRevision(db: Kysely<Database>, responseId: number, version: number, by: string) {
  const response = await db
    .selectFrom('responses as r')
    .innerJoin('assignments as a', 'a.id', 'r.assignment_id')
    .select(['r.id', 'r.version', 'r.survey_id', 'r.data', 'a.status'])
    .where('r.id', '=', responseId)
    .executeTakeFirst();
  if (!response) throw new ResponseStateError(`no response ${responseId}`);
  if (response.status === 'submitted') throw new ResponseStateError('the response is submitted: reopen it before restoring a version');
  const revision = await db.selectFrom('response_revisions').select('data').where('response_id', '=', responseId).where('version', '=', version).executeTakeFirst();
  if (!revision) throw new ResponseStateError(`response ${responseId} has no version ${version}`);
  const result = await saveDraft(db, { responseId, surveyId: response.survey_id, baseVersion: response.version, data: parse(revision.data), savedBy: by, kind: 'restore', note: `restored version ${version}` });
  if (!result.ok) throw new ResponseStateError(`could not restore version ${version}: ${result.reason}`);
  return { before: { version: response.version, data: parse(response.data) }, after: { version: result.version, data: result.data } };
}

export interface RevisionSummary {
  version: number;
  kind: string;
  savedBy: string | null;
  savedAt: string;
  note: string | null;
  /** Answer keys that differ from the previous version. */
  changed: string[];
}

/** The history of a response, newest first, with what changed in each version. */
export async function listRevisions(db: Db, responseId: number): Promise<RevisionSummary[]> {
  const rows = await db.selectFrom('response_revisions').selectAll().where('response_id', '=', responseId).orderBy('version').execute();
  let previous: Answers = {};
  const out: RevisionSummary[] = [];
  for (const r of rows) {
    const data = parse(r.data);
    const keys = new Set([...Object.keys(previous), ...Object.keys(data)]);
    out.push({ version: r.version, kind: r.kind, savedBy: r.saved_by, savedAt: r.saved_at, note: r.note, changed: [...keys].filter((k) => !sameValue(previous[k], data[k])) });
    previous = data;
  }
  return out.reverse();
}

/** One revision's answers, for an admin preview before restoring. */
export async function getRevision(db: Db, responseId: number, version: number): Promise<Answers | undefined> {
  const row = await db.selectFrom('response_revisions').select('data').where('response_id', '=', responseId).where('version', '=', version).executeTakeFirst();
  return row ? parse(row.data) : undefined;
}
