import { listApiRounds } from '~/models/api/data.server';
import { apiHandler, apiJson, methodNotAllowed, pageOf, parsePage, requireApiUser } from '~/models/api/http.server';
import { getDb } from '~/utils/db.server';

export const loader = apiHandler(async ({ request }) => {
  await requireApiUser(request, ['admin', 'evaluator']);
  const page = parsePage<number>(request, 'number');
  return apiJson(request, pageOf(request, await listApiRounds(getDb(), page), page.limit, (r) => r.id));
});

export const action = methodNotAllowed('GET');
