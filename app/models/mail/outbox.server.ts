import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { skipLocked } from '../../../db/dialect';
import type { Database, OutboxMessage, OutboxStatus } from '../../../db/schema';
import type { Mailer } from './mailer.server';

export type MessageKind = 'invitation' | 'reminder' | 'signin' | 'receipt' | (string & {});

export interface NewMessage {
  /** One address, or several separated by commas. */
  to: string | string[];
  subject: string;
  text: string;
  html?: string | null;
  kind: MessageKind;
  /** At most one message is ever enqueued per key, e.g. `reminder:<assignmentId>:<step>`. */
  dedupeKey?: string | null;
  assignmentId?: number | null;
  /** Extra headers, e.g. `List-Unsubscribe` (Auto-Submitted is added to every message by the mailer). */
  headers?: Record<string, string> | null;
  /** The body holds a secret (a sign-in link): it is shown only outside production and erased once sent. */
  sensitive?: boolean;
}

/**
 * Puts a message in the outbox; the job loop delivers it. With a dedupe key that is already
 * used, nothing is added and `created` is false, so callers may run again safely.
 * @example await enqueueMessage(db, { to: 'a@b.se', subject: 'Kvittens', text, kind: 'receipt', dedupeKey: `receipt:${responseId}:${version}` })
 */
export async function enqueueMessage(db: Kysely<Database>, message: NewMessage, now = new Date()): Promise<{ id: number; created: boolean }> {
  const inserted = await db.insertInto('outbox').values(outboxRow(message, now)).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db.selectFrom('outbox').select('id').where('dedupe_key', '=', message.dedupeKey ?? '').executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/**
 * Enqueues many messages in one statement (a reminder run); messages whose dedupe key is used
 * are skipped. Returns how many were added. Keep batches to a few hundred.
 */
export async function enqueueMessages(db: Kysely<Database>, messages: NewMessage[], now = new Date()): Promise<number> {
  if (messages.length === 0) return 0;
  const inserted = await db
    .insertInto('outbox')
    .values(messages.map((m) => outboxRow(m, now)))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

function outboxRow(message: NewMessage, now: Date) {
  const to = (Array.isArray(message.to) ? message.to : [message.to]).map((a) => a.trim()).filter(Boolean).join(', ');
  if (!to) throw new Error('enqueueMessage: no recipient');
  const stamp = now.toISOString();
  return {
    kind: message.kind,
    to_address: to,
    subject: message.subject,
    text_body: message.text,
    html_body: message.html ?? null,
    dedupe_key: message.dedupeKey ?? null,
    headers: message.headers && Object.keys(message.headers).length ? JSON.stringify(message.headers) : null,
    assignment_id: message.assignmentId ?? null,
    sensitive: message.sensitive ? 1 : 0,
    status: 'queued' as const,
    attempts: 0,
    next_attempt_at: stamp,
    last_error: null,
    locked_by: null,
    locked_until: null,
    sent_at: null,
    created_at: stamp,
    updated_at: stamp,
  };
}

/** After this many failed attempts a message is marked failed and left for an administrator. */
export const MAX_ATTEMPTS = 8;
/** How long a worker may hold a claimed message before another may take it over. */
export const LOCK_MS = 5 * 60_000;

/** Exponential backoff after the n-th failed attempt: 1, 2, 4 … minutes, at most 6 hours. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

/**
 * Claims up to `limit` due messages for one worker. On PostgreSQL the inner select skips rows
 * another instance has locked; on SQLite the single statement holds the write lock. Either way
 * two workers never claim the same message. Messages whose worker died are taken over once
 * their lock expires.
 */
export async function claimDueMessages(db: Kysely<Database>, workerId: string, now = new Date(), limit = 20): Promise<OutboxMessage[]> {
  const stamp = now.toISOString();
  const lockUntil = new Date(now.getTime() + LOCK_MS).toISOString();
  const result = await sql<OutboxMessage>`
    update outbox
       set status = 'sending', locked_by = ${workerId}, locked_until = ${lockUntil},
           attempts = attempts + 1, updated_at = ${stamp}
     where id in (
       select id from outbox
        where (status = 'queued' and next_attempt_at <= ${stamp})
           or (status = 'sending' and locked_until < ${stamp})
        order by next_attempt_at, id
        limit ${limit}
        ${skipLocked(db)})
    returning *`.execute(db);
  return result.rows.sort((a, b) => a.id - b.id);
}

const ERASED = '[Innehållet raderades när meddelandet hade skickats, eftersom det innehöll en inloggningslänk.]';

async function markSent(db: Kysely<Database>, message: OutboxMessage, workerId: string, now: Date) {
  await db
    .updateTable('outbox')
    .set({
      status: 'sent',
      sent_at: now.toISOString(),
      updated_at: now.toISOString(),
      // locked_by stays: it tells which worker (instance) sent the message.
      locked_until: null,
      last_error: null,
      ...(message.sensitive ? { text_body: ERASED, html_body: null } : {}),
    })
    .where('id', '=', message.id)
    .where('locked_by', '=', workerId)
    .execute();
}

async function markFailedAttempt(db: Kysely<Database>, message: OutboxMessage, workerId: string, now: Date, error: unknown) {
  const giveUp = message.attempts >= MAX_ATTEMPTS;
  const text = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  await db
    .updateTable('outbox')
    .set({
      status: giveUp ? 'failed' : 'queued',
      next_attempt_at: new Date(now.getTime() + backoffMs(message.attempts)).toISOString(),
      last_error: text,
      updated_at: now.toISOString(),
      locked_by: null,
      locked_until: null,
    })
    .where('id', '=', message.id)
    .where('locked_by', '=', workerId)
    .execute();
}

/** The stored extra headers of a message; unreadable JSON (never written by us) counts as none. */
function storedHeaders(message: OutboxMessage): Record<string, string> | null {
  if (!message.headers) return null;
  try {
    const parsed: unknown = JSON.parse(message.headers);
    if (!parsed || typeof parsed !== 'object') return null;
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return null;
  }
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

/** A worker id that is unique per process and call site, for the lock column. */
export function newWorkerId(prefix = 'worker'): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Delivers every due message, a batch at a time, until none is due. Each message is claimed
 * before it is sent; a failure schedules the next attempt with exponential backoff.
 */
export async function deliverDueMessages(
  db: Kysely<Database>,
  mailer: Mailer,
  options: { now?: Date; workerId?: string; batch?: number; maxBatches?: number } = {},
): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const workerId = options.workerId ?? newWorkerId();
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 50); batch++) {
    const claimed = await claimDueMessages(db, workerId, now, options.batch ?? 20);
    if (claimed.length === 0) break;
    const deliver = async (message: OutboxMessage) => {
      try {
        await mailer.send({ to: message.to_address, subject: message.subject, text: message.text_body, html: message.html_body, headers: storedHeaders(message) });
        await markSent(db, message, workerId, now);
        report.sent++;
      } catch (error) {
        await markFailedAttempt(db, message, workerId, now, error);
        if (message.attempts >= MAX_ATTEMPTS) report.failed++;
        else report.retrying++;
      }
    };
    // Two lanes, matching the mailer's two pooled connections.
    const lanes = [claimed.filter((_, i) => i % 2 === 0), claimed.filter((_, i) => i % 2 === 1)];
    await Promise.all(lanes.map(async (lane) => {
      for (const message of lane) await deliver(message);
    }));
  }
  return report;
}

export interface OutboxFilter {
  status?: OutboxStatus;
  kind?: string;
  limit?: number;
}

/** The newest messages first, for the outbox page. */
export async function listOutbox(db: Kysely<Database>, filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
  let query = db.selectFrom('outbox').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  return query.orderBy('id', 'desc').limit(filter.limit ?? 200).execute();
}

export async function countOutboxByStatus(db: Kysely<Database>): Promise<Record<OutboxStatus, number>> {
  const rows = await db.selectFrom('outbox').select('status').select((eb) => eb.fn.countAll<number>().as('n')).groupBy('status').execute();
  const counts: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** Puts a failed message back in the queue, to be tried at once. Returns false if it was not failed. */
export async function requeueMessage(db: Kysely<Database>, id: number, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'queued', attempts: 0, next_attempt_at: now.toISOString(), updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** How many reminders each assignment has been sent (or has queued), for the status view. */
export async function countRemindersByAssignment(db: Kysely<Database>, roundId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('outbox as m')
    .innerJoin('assignments as a', 'a.id', 'm.assignment_id')
    .select('m.assignment_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.round_id', '=', roundId)
    .where('m.kind', '=', 'reminder')
    .where('m.status', '<>', 'failed')
    .groupBy('m.assignment_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.assignment_id), Number(r.n)]));
}
