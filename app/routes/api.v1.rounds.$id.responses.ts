import { listApiResponses } from '~/models/api/data.server';
import { getRound } from '~/models/rounds/rounds.server';
import { ApiError, apiHandler, apiJson, idParam, methodNotAllowed, pageOf, parsePage, requireApiUser } from '~/models/api/http.server';
import { getDb } from '~/utils/db.server';

/** Answers are personal data of the organisations: administrators only. */
export const loader = apiHandler(async ({ request, params }) => {
  await requireApiUser(request, ['admin']);
  const roundId = idParam(params.id, 'round');
  if (!(await getRound(getDb(), roundId))) throw new ApiError(404, `No round with id "${params.id}".`);
  const page = parsePage<number>(request, 'number');
  return apiJson(request, pageOf(request, await listApiResponses(getDb(), roundId, page), page.limit, (r) => r.assignmentId));
});

export const action = methodNotAllowed('GET');
