import { redirect } from '@remix-run/node';
import type { Role, User } from '../../db/schema';
import { getDb } from './db.server';
import { getEnv } from './env.server';
import { getSessionUser } from './session.server';

export type { Role, User };

/** The signed-in user of this request, or null. */
export async function getUser(request: Request): Promise<User | null> {
  return getSessionUser(getDb(), request);
}

/** A local path to return to after signing in; anything else (other hosts, `//evil`) becomes `/`. */
export function safeRedirectPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value.length > 2000 ? fallback : value;
}

/** The page a forbidden user sees, as a thrown 403 that the root error boundary renders in Swedish. */
export function forbidden(): Response {
  return new Response('Du har inte behörighet till den här sidan. Logga in med ett konto som har rätt roll, eller kontakta en administratör.', {
    status: 403,
    statusText: 'Forbidden',
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/**
 * The signed-in user, if their role is one of `roles`. Not signed in: throws a redirect to
 * /logga-in?redirectTo=<this page>. Wrong role: throws a 403. Call it first in every loader and
 * action of a protected route.
 * @example const user = await requireUser(request, ['admin']);
 */
export async function requireUser(request: Request, roles: readonly Role[]): Promise<User> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    // After a POST, come back to the page rather than replaying the action.
    throw redirect(`/logga-in?redirectTo=${encodeURIComponent(url.pathname + (request.method === 'GET' ? url.search : ''))}`);
  }
  if (!roles.includes(user.role)) throw forbidden();
  return user;
}

/** Where a user lands after signing in, by role. */
export function homeOf(role: Role): string {
  return role === 'admin' ? '/admin' : role === 'evaluator' ? '/jamfor' : '/min-organisation';
}

/**
 * Demo (`npm start`) and development show secrets that production only e-mails: sign-in links
 * on the sign-in page and message bodies in the outbox page. Never in plain production.
 */
export function showSecretsInUi(): boolean {
  const env = getEnv();
  return env.ENKATNAV_DEMO || env.NODE_ENV === 'development';
}

/**
 * The one base URL for absolute links (e-mails, receipts, link lists, calendar feeds): APP_URL.
 * Without it, demo and development use the address the browser used (when there is a request);
 * production falls back to localhost rather than trusting a Host header an attacker could set
 * (a sign-in link to the attacker's host would leak the token).
 */
export function appBaseUrl(request?: Request): string {
  const env = getEnv();
  if (env.APP_URL) return env.APP_URL.replace(/\/+$/, '');
  if (request && showSecretsInUi()) return new URL(request.url).origin;
  return `http://localhost:${env.PORT}`;
}

/**
 * Waits until `ms` have passed since `startedAt`. The sign-in request answers no sooner than
 * this, so its timing does not tell whether the address exists (a known one costs two inserts).
 */
export async function notBefore(startedAt: number, ms: number): Promise<void> {
  const wait = startedAt + ms - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
