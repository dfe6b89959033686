import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export const ROLES = ['admin', 'evaluator', 'respondent'] as const;
export type Role = (typeof ROLES)[number];

/** A person who signs in: staff (admin, evaluator) or a respondent bound to one organisation. */
export interface UserTable {
  id: Generated<number>;
  /** Lower-cased and trimmed; unique. */
  email: string;
  name: string | null;
  role: Role;
  /** Required for respondents, null for staff. */
  organisation_id: number | null;
  active: ColumnType<number, number | undefined, number>;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A single-use sign-in link. Only the SHA-256 of the 256-bit random token is stored. */
export interface LoginTokenTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  /** Where to go after signing in: a local path. */
  redirect_to: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/** A signed-in browser. The cookie holds a random id; the table holds its SHA-256, so a copy of the table signs nobody in. */
export interface SessionTable {
  id_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

/** Sliding-window counters shared by all app instances: one row per key and fixed window. */
export interface RateLimitTable {
  key: string;
  /** Start of the window, epoch milliseconds. */
  window_start: number;
  count: number;
}

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Every e-mail goes through here: delivery, retries and de-duplication. */
export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  /** One or more addresses, comma-separated. */
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** At most one message per key, e.g. `reminder:<assignmentId>:<step>`. */
  dedupe_key: string | null;
  assignment_id: number | null;
  /** JSON object of extra headers (e.g. List-Unsubscribe), or null. */
  headers: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1 when the body holds a secret (a sign-in link): it is erased once sent. */
  sensitive: ColumnType<number, number | undefined, number>;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  last_error: string | null;
  /** The worker holding the message; after sending, the worker that sent it. */
  locked_by: string | null;
  locked_until: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Who changed what, when, with the state before and after (JSON). Never updated or deleted. */
export interface AuditLogTable {
  id: Generated<number>;
  /** Null for the command line and the system. */
  actor_user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
  created_at: string;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type OutboxMessage = Selectable<OutboxTable>;
export type AuditEntry = Selectable<AuditLogTable>;
