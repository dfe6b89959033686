import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { syncGrantReports } from '~/models/grants/reports.server';
import { submitResponse } from '~/models/responses/submit.server';
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
import { appBaseUrl } from '~/utils/auth.server';
import { getDb } from '~/utils/db.server';
import { logger } from '~/utils/logger.server';

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
    const opened = await openForWriting(db, params.token ?? '', body, { submit: true });
    if (opened instanceof Response) return opened;
    const result = await submitResponse(db, opened, { baseVersion: body.baseVersion, data: body.data, submittedBy: body.submittedBy, email: body.email || null, baseUrl: appBaseUrl(request) });
    if (result.ok) {
      // An återrapportering updates its grant ledger (and so comparisons) at once.
      // The submission is saved: a failure here must not report it as lost (the job loop retries).
      await syncGrantReports(db, { surveyId: opened.response.survey_id }).catch((e: unknown) => logger.error({ err: e }, 'grant report sync failed'));
      return noStoreJson(result);
    }
    if (result.reason === 'invalid') {
      return invalidAnswers(result.errors, 'answers do not pass validation', 'Svaren kunde inte skickas in. Rätta felen som visas vid frågorna.', 'version' in result ? { version: result.version, saved: result.saved } : {});
    }
    if (result.reason === 'conflict') return noStoreJson(result, 409);
    return stateRefusal(result.reason);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
