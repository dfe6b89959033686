import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { saveDraft } from '~/models/responses/responses.server';
import {
  answersSchema,
  invalidAnswers,
  noStoreJson,
  openForWriting,
  parseBody,
  readJsonBody,
  stateRefusal,
  versionSchema,
} from '~/models/responses/respondent-request.server';
import { getDb } from '~/utils/db.server';

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
    const opened = await openForWriting(db, params.token ?? '', body, { submit: false });
    if (opened instanceof Response) return opened;
    const { response } = opened;
    const result = await saveDraft(db, { responseId: response.id, surveyId: response.survey_id, baseVersion: body.baseVersion, data: body.data, savedBy: body.savedBy || null });
    if (result.ok) return noStoreJson({ ok: true, version: result.version, savedAt: result.savedAt, savedBy: result.savedBy });
    if (result.reason === 'invalid') return invalidAnswers(result.errors, 'invalid answers', 'Några svar har fel format.');
    if (result.reason === 'conflict') return noStoreJson(result, 409);
    return stateRefusal(result.reason);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
