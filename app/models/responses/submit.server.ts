import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, SurveyResponse } from '../../../db/schema';
import type { Answers } from '~/utils/merge';
import { enqueueMessage } from '../mail/outbox.server';
import { getSurvey } from '../surveys/surveys.server';
import { validateSubmission } from '../surveys/validate.server';
import { projectResponse } from '../analysis/projection.server';
import { buildReceiptEmail, receiptUrl } from './receipts.server';
import { conflictOrState, saveDraft, type RespondentContext, type SaveResult, type ValidationIssue } from './responses.server';
import { inWriteBatch } from './write-batch.server';

/** Submitting a response: full validation, lock, projection for analysis and the receipt e-mail. */

export type SubmitResult =
  | { ok: true; reference: string; submittedAt: string; version: number; repeated: boolean }
  | Exclude<SaveResult, { ok: true }>
  | { ok: false; reason: 'invalid'; errors: ValidationIssue[]; version: number; saved: boolean };

const nowIso = () => new Date().toISOString();

/** A reference like ENK-2019-000123-4F7A: survey year, assignment id, random check part. */
function newReference(year: number, assignmentId: number): string {
  return `ENK-${year}-${String(assignmentId).padStart(6, '0')}-${randomBytes(2).toString('hex').toUpperCase()}`;
}

/**
 * Submits the answers after full validation. On validation errors the answers are still saved
 * as a draft (when they pass draft checks), so nothing typed is lost. Submitting an already
 * submitted response returns its reference again (idempotent). On success the response is
 * locked, projected for analysis and a receipt is queued when an e-mail address was given.
 */
export async function submitResponse(
  db: Kysely<Database>,
  ctx: RespondentContext & { response: SurveyResponse },
  input: { baseVersion: number; data: Answers; submittedBy: string; email?: string | null; baseUrl?: string },
): Promise<SubmitResult> {
  const { response, assignment, round } = ctx;
  if (assignment.status === 'submitted' && response.reference) {
    return { ok: true, reference: response.reference, submittedAt: response.submitted_at ?? '', version: response.version, repeated: true };
  }
  const survey = getSurvey(response.survey_id);
  if (!survey) throw new Error(`unknown survey ${response.survey_id}`);
  const checked = await validateSubmission(survey, input.data);
  if (!checked.ok) {
    const saved = await saveDraft(db, { responseId: response.id, surveyId: response.survey_id, baseVersion: input.baseVersion, data: input.data, savedBy: input.submittedBy });
    if (!saved.ok && saved.reason === 'conflict') return saved;
    return { ok: false, reason: 'invalid', errors: checked.errors, version: saved.ok ? saved.version : input.baseVersion, saved: saved.ok };
  }
  const json = JSON.stringify(checked.data);
  const now = nowIso();
  const reference = newReference(survey.meta.year, assignment.id);
  const email = input.email?.trim() || null;
  // Group-committed with concurrent saves and submits on SQLite (one fsync for the lot).
  const result = await inWriteBatch(db, async (trx): Promise<SubmitResult> => {
    const updated = await trx
      .updateTable('responses')
      .set((eb) => ({
        data: json,
        version: eb('version', '+', 1),
        last_saved_at: now,
        last_saved_by: input.submittedBy,
        submitted_at: now,
        submitted_by: input.submittedBy,
        submitted_email: email,
        reference,
        updated_at: now,
      }))
      .where('id', '=', response.id)
      .where('version', '=', input.baseVersion)
      .returning(['version'])
      .executeTakeFirst();
    if (!updated) return conflictOrState(trx, response.id, input.baseVersion);
    await trx
      .insertInto('response_revisions')
      .values({ response_id: response.id, version: updated.version, data: json, kind: 'submit', saved_by: input.submittedBy, saved_at: now, note: reference })
      .execute();
    await trx.updateTable('assignments').set({ status: 'submitted', updated_at: now }).where('id', '=', assignment.id).execute();
    await projectResponse(trx, response.id);
    if (email) {
      const mail = buildReceiptEmail({
        organisationName: ctx.organisation?.name ?? assignment.person_name ?? '',
        surveyTitle: round.title,
        reference,
        submittedAt: now,
        submittedBy: input.submittedBy,
        link: receiptUrl(assignment, input.baseUrl),
      });
      await enqueueMessage(trx, { to: email, ...mail, kind: 'receipt', dedupeKey: `receipt:${reference}`, assignmentId: assignment.id });
    }
    return { ok: true, reference, submittedAt: now, version: updated.version, repeated: false };
  });
  if (!result.ok && result.reason === 'submitted') {
    // A colleague submitted first: same outcome as a repeated submit.
    const row = await db.selectFrom('responses').select(['reference', 'submitted_at', 'version']).where('id', '=', response.id).executeTakeFirstOrThrow();
    return { ok: true, reference: row.reference ?? '', submittedAt: row.submitted_at ?? '', version: row.version, repeated: true };
  }
  return result;
}
