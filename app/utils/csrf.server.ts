import { randomBytes } from 'node:crypto';
import { getEnv } from './env.server';
import { hmac, safeEqual } from './secrets.server';
import { readCookie, serializeCookie } from './session.server';

/**
 * CSRF protection, two layers:
 * 1. Origin: a browser's cross-site POST carries a foreign `Origin` (or `Sec-Fetch-Site:
 *    cross-site`), which is refused before anything else.
 * 2. Token: every browser gets a random `enkatnav_csrf` cookie (set by app/server.ts); forms carry
 *    HMAC(server secret, cookie). Another site can neither read the cookie nor compute the token.
 * Tokens are stateless, so any app instance with the same SESSION_SECRET accepts them.
 */
export const CSRF_COOKIE = 'enkatnav_csrf';
export const CSRF_FIELD = 'csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const tokenFor = (binding: string) => hmac('csrf', binding);

/**
 * The CSRF token for forms on this page; pass it to `<CsrfInput token={…} />` or send it as
 * the `X-CSRF-Token` header with fetch.
 * @example export async function loader({ request }) { return { csrf: csrfToken(request) } }
 */
export function csrfToken(request: Request): string {
  const binding = readCookie(request.headers.get('Cookie'), CSRF_COOKIE);
  // Without the cookie (a request that bypassed app/server.ts) no token can ever verify.
  return binding ? tokenFor(binding) : 'no-csrf-cookie';
}

/**
 * For app/server.ts: when the browser has no CSRF cookie yet, makes one. Returns the Cookie
 * header the app should see for this request and the Set-Cookie to send back.
 */
export function issueCsrfCookie(cookieHeader: string | undefined): { cookieHeader: string; setCookie: string } | null {
  if (readCookie(cookieHeader, CSRF_COOKIE)) return null;
  const value = randomBytes(24).toString('base64url');
  return {
    cookieHeader: cookieHeader ? `${cookieHeader}; ${CSRF_COOKIE}=${value}` : `${CSRF_COOKIE}=${value}`,
    // A year: the value is not a credential, only the anchor of the form tokens.
    setCookie: serializeCookie(CSRF_COOKIE, value, 365 * 24 * 3600),
  };
}

export const CSRF_REFUSAL = 'Formuläret kunde inte skickas eftersom säkerhetskontrollen misslyckades. Ladda om sidan och försök igen.';

function refuse(reason: string): Response {
  return new Response(CSRF_REFUSAL, {
    status: 403,
    statusText: `Forbidden (${reason})`,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/**
 * The origin rule on raw header values: an Origin must be ours (the request's own origin or
 * APP_URL's); without one, Sec-Fetch-Site must not say another site. Also used by app/server.ts,
 * before Remix (whose own origin check answers a mismatch with a 500).
 */
export function originAllowed(origin: string | null | undefined, secFetchSite: string | null | undefined, ownOrigin: string): boolean {
  if (origin) {
    const appUrl = getEnv().APP_URL;
    return origin === ownOrigin || (appUrl !== undefined && origin === new URL(appUrl).origin);
  }
  // Older browsers omit Origin on same-origin form posts; Sec-Fetch-Site still tells.
  return !secFetchSite || secFetchSite === 'same-origin' || secFetchSite === 'none';
}

/** True when the request comes from our own pages, judged by Origin and Sec-Fetch-Site. */
export function sameOrigin(request: Request): boolean {
  return originAllowed(request.headers.get('Origin'), request.headers.get('Sec-Fetch-Site'), new URL(request.url).origin);
}

/**
 * Refuses (throws a 403 Response) a state-changing request that comes from another site or
 * lacks a valid token. Call it first in every action, after reading the form.
 * @example const form = await request.formData(); assertCsrf(request, form);
 */
export function assertCsrf(request: Request, formData?: FormData | null): void {
  if (!sameOrigin(request)) throw refuse('origin');
  const sent = formData?.get(CSRF_FIELD) ?? request.headers.get(CSRF_HEADER);
  const binding = readCookie(request.headers.get('Cookie'), CSRF_COOKIE);
  if (typeof sent !== 'string' || !binding || !safeEqual(sent, tokenFor(binding))) throw refuse('token');
}
