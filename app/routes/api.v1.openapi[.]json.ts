import { openApiDocument } from '~/models/api/openapi.server';
import { apiHandler, apiJson, methodNotAllowed } from '~/models/api/http.server';

/** The OpenAPI document is public: it describes the API, not data. */
export const loader = apiHandler(async ({ request }) => apiJson(request, openApiDocument()));

export const action = methodNotAllowed('GET');
