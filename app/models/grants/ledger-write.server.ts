import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { audit } from '../auth/audit.server';
import { GrantInputError } from './programs.server';
import { refreshLedgerRows } from './record.server';

/**
 * An administrator's changes to the ledger. Each is one transaction with an audit entry (before,
 * after and the reason), after which the status is derived again and written to `grants`.
 */

export interface LedgerPatch {
  allocated_sek?: number;
  requested_sek?: number | null;
  requested_at?: string | null;
  paid_sek?: number | null;
  paid_at?: string | null;
  used_sek?: number | null;
  repaid_sek?: number;
  repaid_at?: string | null;
  reclaimed_sek?: number;
  reclaimed_at?: string | null;
  reclaim_reason?: string | null;
  request_extended_until?: string | null;
}

const AMOUNT_FIELDS = ['allocated_sek', 'requested_sek', 'paid_sek', 'used_sek', 'repaid_sek', 'reclaimed_sek'] as const;
const FIELD_LABELS: Record<(typeof AMOUNT_FIELDS)[number], string> = {
  allocated_sek: 'Fördelat',
  requested_sek: 'Rekvirerat',
  paid_sek: 'Utbetalt',
  used_sek: 'Förbrukat',
  repaid_sek: 'Återbetalt',
  reclaimed_sek: 'Återkrävt',
};

async function loadRow(db: Kysely<Database>, ledgerId: number) {
  const row = await db.selectFrom('grant_ledger').selectAll().where('id', '=', ledgerId).executeTakeFirst();
  if (!row) throw new GrantInputError('no such ledger row', 'Raden finns inte i registret.');
  return row;
}

/** The rules a row must keep after a change; Swedish and English, first failure only. */
export function checkLedgerRow(next: Record<(typeof AMOUNT_FIELDS)[number], number | null>): GrantInputError | null {
  for (const f of AMOUNT_FIELDS) {
    const v = next[f];
    if (v != null && (!Number.isSafeInteger(v) || v < 0)) return new GrantInputError(`${f} must be a whole number of kronor ≥ 0`, `${FIELD_LABELS[f]} måste vara ett helt antal kronor, 0 eller mer.`, f);
  }
  const paid = next.paid_sek ?? 0;
  if (next.used_sek != null && next.used_sek > paid) return new GrantInputError(`used_sek (${next.used_sek}) exceeds paid_sek (${paid})`, `Förbrukat (${next.used_sek} kr) kan inte vara mer än utbetalt (${paid} kr).`, 'used_sek');
  if ((next.repaid_sek ?? 0) > paid) return new GrantInputError(`repaid_sek exceeds paid_sek (${paid})`, `Återbetalt kan inte vara mer än utbetalt (${paid} kr).`, 'repaid_sek');
  if ((next.reclaimed_sek ?? 0) > paid) return new GrantInputError(`reclaimed_sek exceeds paid_sek (${paid})`, `Återkrävt kan inte vara mer än utbetalt (${paid} kr).`, 'reclaimed_sek');
  return null;
}

/**
 * Changes ledger facts of one row, with the reason required for the audit log.
 * @example await updateLedgerRow(db, id, { repaid_sek: 20_000, repaid_at: '2019-06-10' }, 'Inbetalning bokförd', user.id)
 */
export async function updateLedgerRow(db: Kysely<Database>, ledgerId: number, patch: LedgerPatch, reason: string, actorUserId: number | null, action = 'grant.ledger.update') {
  if (!reason.trim()) throw new GrantInputError('a reason is required', 'Ange ett skäl till ändringen.', 'reason');
  const before = await loadRow(db, ledgerId);
  const next = { ...before, ...patch };
  if (patch.requested_sek != null && !next.requested_at) next.requested_at = new Date().toISOString();
  const problem = checkLedgerRow({
    allocated_sek: Number(next.allocated_sek),
    requested_sek: next.requested_sek == null ? null : Number(next.requested_sek),
    paid_sek: next.paid_sek == null ? null : Number(next.paid_sek),
    used_sek: next.used_sek == null ? null : Number(next.used_sek),
    repaid_sek: Number(next.repaid_sek),
    reclaimed_sek: Number(next.reclaimed_sek),
  });
  if (problem) throw problem;
  const changed = Object.fromEntries(Object.entries(patch).filter(([k, v]) => (before as Record<string, unknown>)[k] !== v && !(v == null && (before as Record<string, unknown>)[k] == null)));
  if (next.requested_at !== before.requested_at) changed.requested_at = next.requested_at;
  if (Object.keys(changed).length === 0) return before;
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const set = { ...changed, ...(changed.requested_at ? { declined_at: null } : {}), updated_at: now };
    await trx.updateTable('grant_ledger').set(set).where('id', '=', ledgerId).execute();
    const beforeOf = Object.fromEntries(Object.keys(changed).map((k) => [k, (before as Record<string, unknown>)[k]]));
    await audit(trx, { actorUserId, action, entity: 'grant_ledger', entityId: ledgerId, before: beforeOf, after: changed, reason: reason.trim() });
    await refreshLedgerRows(trx, [ledgerId]);
    return trx.selectFrom('grant_ledger').selectAll().where('id', '=', ledgerId).executeTakeFirstOrThrow();
  });
}

/**
 * Books the payment of every requested, unpaid row of a year at the requested amount.
 * Returns how many were booked.
 */
export async function bookRequestedPayments(db: Kysely<Database>, yearId: number, paidAt: string, actorUserId: number | null): Promise<number> {
  const rows = await db
    .selectFrom('grant_ledger')
    .select(['id', 'requested_sek'])
    .where('grant_year_id', '=', yearId)
    .where('requested_at', 'is not', null)
    .where('paid_sek', 'is', null)
    .execute();
  for (const r of rows) await updateLedgerRow(db, r.id, { paid_sek: Number(r.requested_sek ?? 0), paid_at: paidAt }, 'Utbetalning enligt rekvisition', actorUserId, 'grant.ledger.pay');
  return rows.length;
}

/** Marks the återrapportering of a row as reviewed. */
export async function markReviewed(db: Kysely<Database>, ledgerId: number, actorUserId: number | null, note: string) {
  const before = await loadRow(db, ledgerId);
  if (before.used_sek == null) throw new GrantInputError('no report to review yet', 'Det finns ingen återrapportering att granska ännu.');
  await db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    await trx.updateTable('grant_ledger').set({ reviewed_at: now, reviewed_by: actorUserId, updated_at: now }).where('id', '=', ledgerId).execute();
    await audit(trx, { actorUserId, action: 'grant.review', entity: 'grant_ledger', entityId: ledgerId, before: { reviewed_at: before.reviewed_at }, after: { reviewed_at: now }, reason: note.trim() || 'Granskad' });
  });
}

/** Records a reclaim (återkrav) of misused funds: amount and reason; also marks the report reviewed. */
export async function recordReclaim(db: Kysely<Database>, ledgerId: number, amount: number, reason: string, actorUserId: number | null) {
  if (!reason.trim()) throw new GrantInputError('a reason is required for a reclaim', 'Ange skälet till återkravet.', 'reason');
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new GrantInputError('the reclaim must be a whole number of kronor > 0', 'Återkravet måste vara ett helt antal kronor, mer än 0.', 'amount');
  const now = new Date().toISOString();
  await updateLedgerRow(db, ledgerId, { reclaimed_sek: amount, reclaimed_at: now, reclaim_reason: reason.trim() }, reason, actorUserId, 'grant.reclaim');
  await db.updateTable('grant_ledger').set({ reviewed_at: now, reviewed_by: actorUserId }).where('id', '=', ledgerId).execute();
}
