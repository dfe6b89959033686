import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApiToken, Database, Role, User } from '../../../db/schema';
import { sha256 } from '~/utils/session.server';
import { audit } from './audit.server';

/**
 * Personal API tokens for /api/v1. A token is `enk_` + 32 random bytes (base64url); only its
 * SHA-256 is stored, like session ids, so a copy of the table authorises nobody. The owner sees
 * the token once, when it is created.
 */
export const TOKEN_PREFIX = 'enk_';
const TOKEN_PATTERN = /^enk_[A-Za-z0-9_-]{43}$/;
/** Who may hold tokens: respondents answer through their links, not the API. */
export const TOKEN_ROLES: readonly Role[] = ['admin', 'evaluator'];
/** last_used_at is written at most this often, so API reads stay reads. */
const TOUCH_EVERY_MS = 60_000;
const PREFIX_CHARS = TOKEN_PREFIX.length + 8;

export class ApiTokenError extends Error {}

export type ApiTokenSummary = Omit<ApiToken, 'token_hash'>;

/**
 * Creates a token for the user and returns it in clear text, the only time it exists.
 * Throws ApiTokenError for a role that may not hold tokens or an empty name.
 * @example const { token } = await createApiToken(db, admin, 'R-skript')
 */
export async function createApiToken(db: Kysely<Database>, user: Pick<User, 'id' | 'role' | 'active'>, name: string): Promise<{ token: string; summary: ApiTokenSummary }> {
  if (!TOKEN_ROLES.includes(user.role) || !user.active) throw new ApiTokenError('Only active admins and evaluators can create API tokens');
  const cleanName = name.trim();
  if (!cleanName || cleanName.length > 100) throw new ApiTokenError('The name must be 1–100 characters');
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_tokens')
      .values({ user_id: user.id, name: cleanName, token_hash: sha256(token), prefix: token.slice(0, PREFIX_CHARS), created_at: new Date().toISOString(), last_used_at: null, revoked_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: user.id, action: 'api_token.create', entity: 'api_token', entityId: row.id, after: { name: cleanName, prefix: row.prefix } });
    const { token_hash: _hash, ...summary } = row;
    return { token, summary };
  });
}

/** The user's tokens, newest first, without hashes. */
export async function listApiTokens(db: Kysely<Database>, userId: number): Promise<ApiTokenSummary[]> {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

/** Revokes one of the user's own tokens (audited). False when it is not theirs or already revoked. */
export async function revokeApiToken(db: Kysely<Database>, userId: number, tokenId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const row = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'name', 'prefix'])
      .executeTakeFirst();
    if (!row) return false;
    await audit(trx, { actorUserId: userId, action: 'api_token.revoke', entity: 'api_token', entityId: row.id, after: { name: row.name, prefix: row.prefix, revokedAt: now } });
    return true;
  });
}

/**
 * The active user behind an `Authorization: Bearer enk_…` header, or null (no header, wrong
 * format, unknown, revoked, or the user is deactivated). Touches last_used_at once a minute.
 */
export async function authenticateApiToken(db: Kysely<Database>, authorization: string | null, now = new Date()): Promise<User | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match || !TOKEN_PATTERN.test(match[1])) return null;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('u')
    .select(['t.id as token_id', 't.last_used_at as token_last_used_at'])
    .where('t.token_hash', '=', sha256(match[1]))
    .where('t.revoked_at', 'is', null)
    .where('u.active', '=', 1)
    .executeTakeFirst();
  if (!row) return null;
  const { token_id, token_last_used_at, ...user } = row;
  if (!token_last_used_at || now.getTime() - Date.parse(token_last_used_at) >= TOUCH_EVERY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', token_id).execute();
  }
  return user;
}
