import { ApiError, apiHandler } from '~/models/api/http.server';

/** Unknown paths under /api/v1 answer in JSON, not with the HTML 404 page. */
const notFound = apiHandler(async ({ request }) => {
  throw new ApiError(404, `No API endpoint at ${new URL(request.url).pathname}. See /api/v1/openapi.json.`);
});

export const loader = notFound;
export const action = notFound;
