import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { draftErrors, ensureResponse, loadRespondentContext, saveDraft } from '~/models/responses/responses.server';
import { jointLeadOf } from '~/models/rounds/joint.server';
import { editStateOf } from '~/models/rounds/rounds.server';
import { getDb } from '~/utils/db.server';
import { answersSchema, firstSaveConflict, jointRefusal, jsonError, parseBody, readJsonBody, stateRefusal, unknownLink, versionSchema } from '~/models/responses/respondent-request.server';

/** Autosave of a draft: POST JSON { baseVersion, data, savedBy }. See saveDraft for the rules. */
const saveSchema = z.strictObject({
  baseVersion: versionSchema,
  data: answersSchema,
  savedBy: z.string().trim().max(200).nullish(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  try {
    const body = parseBody(saveSchema, await readJsonBody(request));
    const db = getDb();
    const ctx = await loadRespondentContext(db, params.token ?? '');
    if (!ctx) return unknownLink();
    const lead = await jointLeadOf(db, ctx.assignment.id);
    if (lead) return jointRefusal(lead.organisationName);
    const state = editStateOf(ctx.round, ctx.assignment);
    if (state !== 'open') return stateRefusal(state);
    if (!ctx.response) {
      // First save: refuse a version that does not exist yet and bad answers before the response row exists.
      if (body.baseVersion !== 0) return firstSaveConflict(db, ctx);
      const errors = draftErrors(ctx.round.survey_id, body.data);
      if (errors) return jsonError(400, `invalid answers: ${errors.map((e) => e.detail).join('; ')}`, 'Några svar har fel format.', { errors });
    }
    const response = await ensureResponse(db, ctx);
    const result = await saveDraft(db, { responseId: response.id, surveyId: response.survey_id, baseVersion: body.baseVersion, data: body.data, savedBy: body.savedBy || null });
    if (result.ok) return Response.json({ ok: true, version: result.version, savedAt: result.savedAt, savedBy: result.savedBy }, { headers: { 'Cache-Control': 'no-store' } });
    if (result.reason === 'invalid') return jsonError(400, `invalid answers: ${result.errors.map((e) => e.detail).join('; ')}`, 'Några svar har fel format.', { errors: result.errors });
    if (result.reason === 'conflict') return Response.json(result, { status: 409, headers: { 'Cache-Control': 'no-store' } });
    return stateRefusal(result.reason);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
