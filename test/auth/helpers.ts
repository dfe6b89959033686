import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Role, User } from '../../db/schema';
import { createUser } from '../../app/models/auth/users.server';
import { CSRF_COOKIE, csrfToken } from '../../app/utils/csrf.server';
import { createSession, SESSION_COOKIE } from '../../app/utils/session.server';

export interface TestSession {
  user: User;
  /** Cookie header value with the session and CSRF cookies. */
  cookie: string;
  /** The CSRF token for forms: send it as the `csrf` field. */
  csrf: string;
  /** Headers for a same-origin request: Cookie and Origin. */
  headers: Record<string, string>;
  /** Cookies for a Playwright browser context: `await context.addCookies(s.browserCookies(app.url))`. */
  browserCookies: (url: string) => { name: string; value: string; url: string; httpOnly: boolean; sameSite: 'Lax' }[];
}

/**
 * Creates a user with the role and signs them in directly (no e-mail, no rate limit), for tests
 * of protected routes. Respondents get the organisation with `orgCode` (default 0180 Stockholm).
 * @example const admin = await signedIn(t.db, 'admin'); await callLoader(loader, '/admin/x', { headers: admin.headers })
 */
export async function signedIn(db: Kysely<Database>, role: Role, options: { email?: string; orgCode?: string; name?: string } = {}): Promise<TestSession> {
  let organisationId: number | null = null;
  if (role === 'respondent') {
    const org = await db.selectFrom('organisations').select('id').where('code', '=', options.orgCode ?? '0180').executeTakeFirstOrThrow();
    organisationId = org.id;
  }
  const user = await createUser(db, {
    email: options.email ?? `${role}-${randomBytes(4).toString('hex')}@test.enkatnav.se`,
    role,
    name: options.name ?? `Test ${role}`,
    organisationId,
  });
  const setCookie = await createSession(db, user.id);
  const sessionId = decodeURIComponent(setCookie.split(';')[0].split('=')[1]);
  const csrfCookie = randomBytes(24).toString('base64url');
  const cookie = `${SESSION_COOKIE}=${sessionId}; ${CSRF_COOKIE}=${csrfCookie}`;
  const csrf = csrfToken(new Request('http://127.0.0.1/', { headers: { Cookie: cookie } }));
  return {
    user,
    cookie,
    csrf,
    headers: { Cookie: cookie, Origin: 'http://127.0.0.1' },
    browserCookies: (url) => [
      { name: SESSION_COOKIE, value: sessionId, url, httpOnly: true, sameSite: 'Lax' },
      { name: CSRF_COOKIE, value: csrfCookie, url, httpOnly: true, sameSite: 'Lax' },
    ],
  };
}
