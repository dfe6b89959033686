import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { inTransaction } from '../../../db/dialect';
import { ROLES, type Database, type Role, type User } from '../../../db/schema';
import { sha256 } from '~/utils/session.server';
import { audit } from './audit.server';
import { signInEmail } from '../mail/templates.server';
import { enqueueMessage } from '../mail/outbox.server';

export { ROLES, type Role, type User };

/** E-mail addresses are compared lower-cased and trimmed everywhere. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class UserExistsError extends Error {}

export interface NewUserInput {
  email: string;
  role: Role;
  name?: string | null;
  /** Required for respondents. */
  organisationId?: number | null;
}

/**
 * Creates a user. Throws UserExistsError when the address is taken and Error when a respondent
 * has no organisation.
 * @example await createUser(db, { email: 'anna@kommun.se', role: 'admin', name: 'Anna' })
 */
export async function createUser(db: Kysely<Database>, input: NewUserInput): Promise<User> {
  const email = normaliseEmail(input.email);
  if (input.role === 'respondent' && input.organisationId == null) throw new Error('A respondent must belong to an organisation');
  if (await findUserByEmail(db, email)) throw new UserExistsError(`A user with the address ${email} already exists`);
  const now = new Date().toISOString();
  return db
    .insertInto('users')
    .values({
      email,
      name: input.name ?? null,
      role: input.role,
      organisation_id: input.organisationId ?? null,
      active: 1,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

export async function getUserById(db: Kysely<Database>, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface UserRow extends User {
  organisation_code: string | null;
  organisation_name: string | null;
}

export async function listUsers(db: Kysely<Database>): Promise<UserRow[]> {
  return db
    .selectFrom('users as u')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .selectAll('u')
    .select(['o.code as organisation_code', 'o.name as organisation_name'])
    .orderBy('u.role')
    .orderBy('u.email')
    .execute();
}

/**
 * createUser with its `user.add` audit entry, in one transaction (the admin page and the CLI).
 * @example await addUserAudited(db, { email: 'eva@myndighet.se', role: 'evaluator' }, { id: admin.id }, 'admin page')
 */
export async function addUserAudited(db: Kysely<Database>, input: NewUserInput, actor: { id: number | null }, reason?: string): Promise<User> {
  return inTransaction(db, async (trx) => {
    const created = await createUser(trx, input);
    const after = { email: created.email, role: created.role, organisationId: created.organisation_id, name: created.name };
    await audit(trx, { actorUserId: actor.id, action: 'user.add', entity: 'user', entityId: created.id, after, reason: reason ?? null });
    return created;
  });
}

/** A change to a user that is not allowed; the message is English, `code` picks the UI text. */
export class UserChangeError extends Error {
  constructor(
    readonly code: 'not_found' | 'self' | 'last_admin',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Deactivates or reactivates a user, audited. An inactive user cannot sign in, and their
 * sessions and API tokens stop working at once (both lookups require an active user). Nobody
 * deactivates themselves, and the last active admin stays, so the agency is never locked out.
 */
export async function setUserActive(db: Kysely<Database>, userId: number, active: boolean, actor: { id: number | null }): Promise<User> {
  return inTransaction(db, async (trx) => {
    const before = await getUserById(trx, userId);
    if (!before) throw new UserChangeError('not_found', `no user ${userId}`);
    if (!active && actor.id === userId) throw new UserChangeError('self', 'you cannot deactivate yourself');
    if (!active && before.role === 'admin' && before.active) {
      const admins = await trx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('active', '=', 1).executeTakeFirstOrThrow();
      if (Number(admins.n) <= 1) throw new UserChangeError('last_admin', 'the last active admin cannot be deactivated');
    }
    const after = await trx.updateTable('users').set({ active: active ? 1 : 0, updated_at: new Date().toISOString() }).where('id', '=', userId).returningAll().executeTakeFirstOrThrow();
    if (Boolean(before.active) !== active) {
      await audit(trx, { actorUserId: actor.id, action: active ? 'user.activate' : 'user.deactivate', entity: 'user', entityId: userId, before: { active: Boolean(before.active) }, after: { active } });
    }
    return after;
  });
}

/** A sign-in link is valid this long, and only once. */
export const SIGNIN_TOKEN_MINUTES = 15;
const SIGNIN_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SignInRequest {
  /** Set only when the address belongs to an active user; the caller must not reveal it. */
  link?: string;
  messageId?: number;
}

/**
 * Makes a single-use sign-in link for an active user and puts the e-mail in the outbox. For an
 * unknown or inactive address it does nothing; the page says the same in both cases.
 * Only the SHA-256 of the token is stored.
 */
export async function requestSignInLink(
  db: Kysely<Database>,
  input: { email: string; baseUrl: string; redirectTo?: string | null },
  now = new Date(),
): Promise<SignInRequest> {
  const user = await findUserByEmail(db, input.email);
  if (!user || !user.active) return {};
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('login_tokens')
    .values({
      user_id: user.id,
      token_hash: sha256(token),
      redirect_to: input.redirectTo ?? null,
      expires_at: new Date(now.getTime() + SIGNIN_TOKEN_MINUTES * 60_000).toISOString(),
      used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  const link = `${input.baseUrl.replace(/\/+$/, '')}/logga-in/${token}`;
  const mail = signInEmail({ link, minutes: SIGNIN_TOKEN_MINUTES });
  const { id } = await enqueueMessage(db, { to: user.email, subject: mail.subject, text: mail.text, html: mail.html, kind: 'signin', sensitive: true }, now);
  return { link, messageId: id };
}

/**
 * Uses a sign-in token: returns the user and where to go, or null when the token is unknown,
 * used, expired or its user inactive. The update is atomic, so a token works exactly once even
 * when two requests race.
 */
export async function consumeSignInToken(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<{ user: User; redirectTo: string | null } | null> {
  if (!SIGNIN_TOKEN_PATTERN.test(token)) return null;
  const used = await db
    .updateTable('login_tokens')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .returning(['user_id', 'redirect_to'])
    .executeTakeFirst();
  if (!used) return null;
  const user = await getUserById(db, used.user_id);
  if (!user || !user.active) return null;
  await db.updateTable('users').set({ last_login_at: now.toISOString() }).where('id', '=', user.id).execute();
  await audit(db, { actorUserId: user.id, action: 'user.signin', entity: 'user', entityId: user.id });
  return { user: { ...user, last_login_at: now.toISOString() }, redirectTo: used.redirect_to };
}

/** Removes used and expired sign-in tokens older than a day; run by the job loop. */
export async function pruneSignInTokens(db: Kysely<Database>, now = new Date()): Promise<void> {
  await db.deleteFrom('login_tokens').where('expires_at', '<', new Date(now.getTime() - 86_400_000).toISOString()).execute();
}
