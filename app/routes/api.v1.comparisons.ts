import { ComparisonError, computeComparison } from '~/models/comparisons/compute.server';
import { DefinitionError, parseDefinition } from '~/models/comparisons/saved.server';
import { ApiError, apiHandler, apiJson, methodNotAllowed, readJsonBody, requireApiUser } from '~/models/api/http.server';
import { getDb } from '~/utils/db.server';

/** A comparison definition is small; anything larger is a mistake or an attack. */
const MAX_BODY_BYTES = 64 * 1024;

export const action = apiHandler(async ({ request }) => {
  if (request.method !== 'POST') throw new ApiError(405, `Method ${request.method} is not allowed here; use POST.`, undefined, { Allow: 'POST' });
  await requireApiUser(request, ['admin', 'evaluator']);
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  try {
    const result = await computeComparison(getDb(), parseDefinition(body));
    return apiJson(request, result, { etag: false });
  } catch (e) {
    if (e instanceof DefinitionError) throw new ApiError(400, 'Invalid comparison definition.', e.issues);
    if (e instanceof ComparisonError) throw new ApiError(400, e.en);
    throw e;
  }
});

export const loader = methodNotAllowed('POST');
