import { openApiDocument } from '~/models/openapi.server';
import { apiHandler, apiJson, methodNotAllowed } from '~/utils/api.server';

/** The OpenAPI document is public: it describes the API, not data. */
export const loader = apiHandler(async ({ request }) => apiJson(request, openApiDocument()));

export const action = methodNotAllowed('GET');
