import type { LoaderFunctionArgs } from '@remix-run/node';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema';
import { createApiToken } from '~/models/auth/api-tokens.server';
import { signedIn, type TestSession } from '../auth/helpers';

export type Handler = (args: LoaderFunctionArgs) => Promise<Response>;

/** A signed-in user of `role` (session cookie too) with a fresh API token. */
export async function withToken(db: Kysely<Database>, role: Role): Promise<TestSession & { token: string; auth: Record<string, string> }> {
  const session = await signedIn(db, role);
  const { token } = await createApiToken(db, session.user, `test ${role}`);
  return { ...session, token, auth: { Authorization: `Bearer ${token}` } };
}

/**
 * Calls an API loader or action with a real Request, as Remix would.
 * @example const res = await api(rounds.loader, '/api/v1/rounds?limit=2', { headers: admin.auth })
 */
export async function api(
  handler: Handler,
  url: string,
  init: { params?: Record<string, string>; headers?: Record<string, string>; method?: string; body?: BodyInit; json?: unknown } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers.set('Content-Type', 'application/json');
  }
  const request = new Request(new URL(url, 'http://127.0.0.1'), { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  return handler({ request, params: init.params ?? {}, context: { nonce: '' } });
}
