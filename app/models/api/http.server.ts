import { createHash } from 'node:crypto';
import type { LoaderFunctionArgs } from '@remix-run/node';
import type { Role, User } from '../../../db/schema';
import { authenticateApiToken } from '~/models/auth/api-tokens.server';
import { getDb } from '../../utils/db.server';
import { logger } from '../../utils/logger.server';

/**
 * Shared plumbing of the JSON API (/api/v1): bearer-token auth, JSON errors with one stable
 * shape, keyset pagination and ETags. Cookies never authorise the API: only the
 * `Authorization: Bearer enk_…` header does, so no CSRF check is needed here.
 */

export const API_ERROR_CODES = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  500: 'internal_error',
} as const;
export type ApiStatus = keyof typeof API_ERROR_CODES;

/** Thrown by API code; apiHandler turns it into `{ "error": { "code", "message", "details"? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    message: string,
    readonly details?: string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const BASE_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-cache', Vary: 'Authorization' };

export function apiErrorResponse(error: ApiError): Response {
  const body = { error: { code: API_ERROR_CODES[error.status], message: error.message, ...(error.details ? { details: error.details } : {}) } };
  return new Response(JSON.stringify(body), { status: error.status, headers: { ...BASE_HEADERS, 'Cache-Control': 'no-store', ...error.headers } });
}

/**
 * Wraps a loader or action: ApiErrors become JSON errors, anything unexpected a JSON 500
 * without a stack (logged instead).
 * @example export const loader = apiHandler(async ({ request }) => { … return apiJson(request, body) })
 */
export function apiHandler(handler: (args: LoaderFunctionArgs) => Promise<Response>) {
  return async (args: LoaderFunctionArgs): Promise<Response> => {
    try {
      return await handler(args);
    } catch (e) {
      if (e instanceof ApiError) return apiErrorResponse(e);
      if (e instanceof Response) return e;
      logger.error({ err: e, url: args.request.url }, 'API request failed');
      return apiErrorResponse(new ApiError(500, 'The server could not answer the request. Try again later.'));
    }
  };
}

/** The 405 answer for a method the route does not serve. */
export function methodNotAllowed(allowed: string) {
  return apiHandler(async (args) => {
    throw new ApiError(405, `Method ${args.request.method} is not allowed here; use ${allowed}.`, undefined, { Allow: allowed });
  });
}

/**
 * The user behind the request's bearer token, if their role is one of `roles`.
 * Missing, malformed, unknown or revoked token → 401; wrong role → 403.
 */
export async function requireApiUser(request: Request, roles: readonly Role[]): Promise<User> {
  const header = request.headers.get('Authorization');
  const user = await authenticateApiToken(getDb(), header);
  if (!user) {
    const message = header ? 'The API token is invalid or has been revoked.' : 'Send an API token as "Authorization: Bearer enk_…". Create one at /konto/api-nycklar.';
    throw new ApiError(401, message, undefined, { 'WWW-Authenticate': 'Bearer realm="enkatnav"' });
  }
  if (!roles.includes(user.role)) throw new ApiError(403, `This endpoint needs the role ${roles.join(' or ')}.`);
  return user;
}

/** `"…"`: a strong ETag from the SHA-256 of the body. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** A JSON 200 with an ETag; 304 without a body when `If-None-Match` names the same one. */
export function apiJson(request: Request, value: unknown, init: { etag?: boolean; status?: number } = {}): Response {
  const body = JSON.stringify(value);
  const headers: Record<string, string> = { ...BASE_HEADERS };
  if (init.etag !== false) {
    headers.ETag = etagOf(body);
    if (matches(request.headers.get('If-None-Match'), headers.ETag)) return new Response(null, { status: 304, headers: { ETag: headers.ETag, 'Cache-Control': headers['Cache-Control'], Vary: 'Authorization' } });
  }
  return new Response(body, { status: init.status ?? 200, headers });
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export interface PageRequest<K> {
  limit: number;
  /** The key of the last item of the previous page; undefined for the first page. */
  after?: K;
}

/** Reads `?limit=&cursor=`; the cursor is opaque to clients (base64url JSON of the last key). */
export function parsePage<K extends string | number>(request: Request, keyType: 'string' | 'number'): PageRequest<K> {
  const url = new URL(request.url);
  const limitText = url.searchParams.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new ApiError(400, `limit must be a whole number from 1 to ${MAX_LIMIT}.`);
  const cursor = url.searchParams.get('cursor');
  if (cursor === null || cursor === '') return { limit };
  let after: unknown;
  try {
    after = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown }).after;
  } catch {
    after = undefined;
  }
  if (typeof after !== keyType) throw new ApiError(400, 'cursor is not valid; use the "next" link of the previous page.');
  return { limit, after: after as K };
}

export interface Page<T> {
  data: T[];
  page: { limit: number; nextCursor: string | null; next: string | null };
}

/**
 * Builds a page from `limit + 1` fetched rows: the extra row only tells that there is a next page.
 * @example return apiJson(request, pageOf(request, rows, page.limit, (r) => r.id))
 */
export function pageOf<T, K extends string | number>(request: Request, rows: T[], limit: number, keyOf: (row: T) => K): Page<T> {
  const data = rows.slice(0, limit);
  if (rows.length <= limit || data.length === 0) return { data, page: { limit, nextCursor: null, next: null } };
  const nextCursor = Buffer.from(JSON.stringify({ after: keyOf(data[data.length - 1]) })).toString('base64url');
  const url = new URL(request.url);
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('cursor', nextCursor);
  return { data, page: { limit, nextCursor, next: url.pathname + url.search } };
}

/** A positive integer path parameter, or a 404 (an id that cannot exist does not). */
export function idParam(value: string | undefined, what: string): number {
  const id = Number(value);
  if (!value || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(id) || id < 1) throw new ApiError(404, `No ${what} with id "${value ?? ''}".`);
  return id;
}

/** Reads a JSON body of at most `maxBytes` (413 beyond, 415 for another type, 400 for bad JSON). */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new ApiError(415, 'Send the body as JSON with "Content-Type: application/json".');
  if (Number(request.headers.get('Content-Length') ?? 0) > maxBytes) throw new ApiError(413, `The body is larger than ${maxBytes / 1024} KB.`);
  // A chunked body has no length: count while reading and stop at the limit.
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Not cancel(): that destroys the connection before the 413 is sent. app/server.ts
      // drops the rest of the body after the answer.
      reader.releaseLock();
      throw new ApiError(413, `The body is larger than ${maxBytes / 1024} KB.`);
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new ApiError(400, `The body is not valid JSON: ${(e as Error).message}`);
  }
}
