import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, User } from '../../db/schema';
import { getEnv } from './env.server';

export const SESSION_COOKIE = 'enkatnav_session';
/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** …and at the latest this long after sign-in. */
export const SESSION_MAX_MS = 7 * 24 * 3_600_000;
/** last_seen_at is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 5 * 60_000;

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Cookies are `Secure` in production. Not in demo mode (`npm start` on http://localhost), and
 * not when APP_URL is plain http on the loopback address (the end-to-end tests), where a browser
 * would otherwise drop them.
 */
export function secureCookies(): boolean {
  const env = getEnv();
  if (env.NODE_ENV !== 'production' || env.ENKATNAV_DEMO) return false;
  const appUrl = env.APP_URL ? new URL(env.APP_URL) : undefined;
  const loopbackHttp = appUrl?.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(appUrl.hostname);
  return !loopbackHttp;
}

/** A Set-Cookie value: httpOnly, SameSite=Lax, path /, Secure in production. */
export function serializeCookie(name: string, value: string, maxAgeSeconds?: number): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (secureCookies()) parts.push('Secure');
  return parts.join('; ');
}

/**
 * The table keeps SHA-256 of the 256-bit random session id, never the id itself: a copy of the
 * table signs nobody in. No secret is needed for that, so every instance computes the same hash.
 */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const hashId = sha256;

/** Starts a session for the user; returns the Set-Cookie header value. */
export async function createSession(db: Kysely<Database>, userId: number, now = new Date()): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const stamp = now.toISOString();
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashId(id),
      user_id: userId,
      created_at: stamp,
      last_seen_at: stamp,
      expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
    })
    .execute();
  return serializeCookie(SESSION_COOKIE, id, SESSION_MAX_MS / 1000);
}

/** The signed-in, active user of this request, or null. Slides the idle expiry forward. */
export async function getSessionUser(db: Kysely<Database>, request: Request, now = new Date()): Promise<User | null> {
  const id = readCookie(request.headers.get('Cookie'), SESSION_COOKIE);
  if (!id || id.length > 200) return null;
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select(['s.id_hash', 's.created_at as session_created_at', 's.last_seen_at'])
    .where('s.id_hash', '=', hashId(id))
    .where('s.expires_at', '>', now.toISOString())
    .where('u.active', '=', 1)
    .executeTakeFirst();
  if (!row) return null;
  const { id_hash, session_created_at, last_seen_at, ...user } = row;
  if (now.getTime() - Date.parse(last_seen_at) > TOUCH_EVERY_MS) {
    const hardEnd = Date.parse(session_created_at) + SESSION_MAX_MS;
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: new Date(Math.min(hardEnd, now.getTime() + SESSION_IDLE_MS)).toISOString() })
      .where('id_hash', '=', id_hash)
      .execute();
  }
  return user;
}

/** Ends this request's session (if any); returns the Set-Cookie value that clears the cookie. */
export async function destroySession(db: Kysely<Database>, request: Request): Promise<string> {
  const id = readCookie(request.headers.get('Cookie'), SESSION_COOKIE);
  if (id) await db.deleteFrom('sessions').where('id_hash', '=', hashId(id)).execute();
  return serializeCookie(SESSION_COOKIE, '', 0);
}

/** Removes expired sessions; run by the job loop. */
export async function deleteExpiredSessions(db: Kysely<Database>, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
