import { getApiSurvey } from '~/models/api/data.server';
import { ApiError, apiHandler, apiJson, methodNotAllowed, requireApiUser } from '~/models/api/http.server';

export const loader = apiHandler(async ({ request, params }) => {
  await requireApiUser(request, ['admin', 'evaluator']);
  const survey = getApiSurvey(params.id ?? '');
  if (!survey) throw new ApiError(404, `No survey with id "${params.id ?? ''}".`);
  return apiJson(request, survey);
});

export const action = methodNotAllowed('GET');
