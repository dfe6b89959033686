import { getApiRound } from '~/models/api/data.server';
import { ApiError, apiHandler, apiJson, idParam, methodNotAllowed, requireApiUser } from '~/models/api/http.server';
import { getDb } from '~/utils/db.server';

export const loader = apiHandler(async ({ request, params }) => {
  await requireApiUser(request, ['admin', 'evaluator']);
  const round = await getApiRound(getDb(), idParam(params.id, 'round'));
  if (!round) throw new ApiError(404, `No round with id "${params.id}".`);
  return apiJson(request, round);
});

export const action = methodNotAllowed('GET');
