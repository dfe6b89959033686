import { listApiSurveys } from '~/models/api/data.server';
import { apiHandler, apiJson, methodNotAllowed, pageOf, parsePage, requireApiUser } from '~/models/api/http.server';

export const loader = apiHandler(async ({ request }) => {
  await requireApiUser(request, ['admin', 'evaluator']);
  const page = parsePage<string>(request, 'string');
  return apiJson(request, pageOf(request, listApiSurveys(page), page.limit, (s) => s.id));
});

export const action = methodNotAllowed('GET');
