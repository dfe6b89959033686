import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { draftErrors, ensureResponse, loadRespondentContext, submitResponse } from '~/models/responses/responses.server';
import { jointLeadOf } from '~/models/rounds/joint.server';
import { editStateOf } from '~/models/rounds/rounds.server';
import { appBaseUrl } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';
import { answersSchema, firstSaveConflict, jointRefusal, jsonError, parseBody, readJsonBody, stateRefusal, unknownLink, versionSchema } from '~/models/responses/respondent-request.server';

/** Submit: POST JSON { baseVersion, data, submittedBy, email? }. Idempotent once submitted. */
const submitSchema = z.strictObject({
  baseVersion: versionSchema,
  data: answersSchema,
  submittedBy: z.string().trim().min(1, 'the submitter’s name is required').max(200),
  email: z.union([z.email().max(254), z.literal('')]).nullish(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  try {
    const body = parseBody(submitSchema, await readJsonBody(request));
    const db = getDb();
    const ctx = await loadRespondentContext(db, params.token ?? '');
    if (!ctx) return unknownLink();
    const lead = await jointLeadOf(db, ctx.assignment.id);
    if (lead) return jointRefusal(lead.organisationName);
    const state = editStateOf(ctx.round, ctx.assignment);
    // A repeated submit of a submitted response answers with the same reference.
    if (state !== 'open' && state !== 'submitted') return stateRefusal(state);
    if (!ctx.response) {
      // First save: refuse a version that does not exist yet and bad answers before the response row exists.
      if (body.baseVersion !== 0) return firstSaveConflict(db, ctx);
      const errors = draftErrors(ctx.round.survey_id, body.data);
      if (errors) return jsonError(400, `answers do not pass validation: ${errors.map((e) => e.detail).join('; ')}`, 'Några svar har fel format.', { errors });
    }
    const response = await ensureResponse(db, ctx);
    const result = await submitResponse(db, { ...ctx, response }, { baseVersion: body.baseVersion, data: body.data, submittedBy: body.submittedBy, email: body.email || null, baseUrl: appBaseUrl(request) });
    if (result.ok) return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
    if (result.reason === 'invalid') {
      return jsonError(400, `answers do not pass validation: ${result.errors.map((e) => e.detail).join('; ')}`, 'Svaren kunde inte skickas in. Rätta felen som visas vid frågorna.', {
        errors: result.errors,
        ...('version' in result ? { version: result.version, saved: result.saved } : {}),
      });
    }
    if (result.reason === 'conflict') return Response.json(result, { status: 409, headers: { 'Cache-Control': 'no-store' } });
    return stateRefusal(result.reason);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
