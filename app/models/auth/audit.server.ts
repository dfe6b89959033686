import type { Kysely } from 'kysely';
import type { AuditEntry, Database } from '../../../db/schema';

export interface AuditInput {
  /** The signed-in user; null for the command line or the system. */
  actorUserId: number | null;
  /** What happened, dotted: `round.create`, `response.reopen`, `user.add`, `user.signin`. */
  action: string;
  /** The kind of thing changed: `round`, `assignment`, `user`, `contacts`. */
  entity: string;
  entityId?: string | number | null;
  /** The state before and after, as plain objects; stored as JSON. */
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * Appends one entry to the audit log. Call it in the same transaction as the change, so the
 * log and the data never disagree.
 * @example await audit(trx, { actorUserId: user.id, action: 'round.extend', entity: 'round', entityId: 7, before: { closesAt }, after: { closesAt: next } })
 */
export async function audit(db: Kysely<Database>, entry: AuditInput): Promise<number> {
  const row = await db
    .insertInto('audit_log')
    .values({
      actor_user_id: entry.actorUserId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      before: json(entry.before),
      after: json(entry.after),
      reason: entry.reason ?? null,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface AuditRow extends AuditEntry {
  actor_email: string | null;
}

/**
 * The newest audit entries, optionally for one entity or action. `beforeId` pages backwards
 * (keyset): pass the last id of the previous page.
 */
export async function listAudit(
  db: Kysely<Database>,
  filter: { entity?: string; entityId?: string | number; action?: string; beforeId?: number; limit?: number } = {},
): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log as a').leftJoin('users as u', 'u.id', 'a.actor_user_id').selectAll('a').select('u.email as actor_email');
  if (filter.entity) query = query.where('a.entity', '=', filter.entity);
  if (filter.entityId != null) query = query.where('a.entity_id', '=', String(filter.entityId));
  if (filter.action) query = query.where('a.action', '=', filter.action);
  if (filter.beforeId != null) query = query.where('a.id', '<', filter.beforeId);
  return query.orderBy('a.id', 'desc').limit(filter.limit ?? 200).execute();
}

/** The actions that occur in the log, for a filter list. */
export async function auditActions(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()).map((r) => r.action);
}

/** Who did it: the signed-in user (null for the CLI or the system) and a readable label. */
export interface Actor {
  id: number | null;
  /** Recorded as "by" in the response history (e.g. the admin's e-mail). */
  label: string;
}
