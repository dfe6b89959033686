import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { audit } from '../auth/audit.server';
import { allocateByPopulation, allocateEqually, AllocationError, largestRemainder } from './allocation';
import { getYear, GrantInputError, requestDeadlineOf } from './programs.server';
import { refreshLedgerRows } from './record.server';

/**
 * "Fördela om avböjda medel": the amounts of recipients that declined, or let the rekvisition
 * deadline (with any extension) pass without requesting, go to those that requested, by the
 * year's own rule applied to the requesters alone: population with the floor, equal shares, or
 * (decision years) in proportion to their current amounts; whole kronor by largest remainder.
 * The decliners' allocation becomes 0; each requester's requested amount grows (or shrinks) with
 * its allocation, so what it signed for stays "the whole share". Recipients still inside the
 * deadline keep theirs, so the year's sum is unchanged, to the krona.
 */

export interface RedistributionLine {
  ledgerId: number;
  code: string;
  name: string;
  role: 'requester' | 'decliner';
  before: number;
  after: number;
}

export interface Redistribution {
  /** What the decliners had, now spread over the requesters. */
  freed: number;
  lines: RedistributionLine[];
  /** The allocation of the whole year before and after: always equal. */
  sumBefore: number;
  sumAfter: number;
  /** Fingerprint of the plan: confirming a preview that has since changed is refused. */
  key: string;
}

/**
 * Computes the redistribution without changing anything (the preview).
 * @example const plan = await planRedistribution(db, yearId) // plan.lines: decliners → 0, requesters up
 */
export async function planRedistribution(db: Kysely<Database>, yearId: number, now = new Date()): Promise<Redistribution> {
  const year = await getYear(db, yearId);
  if (!year) throw new GrantInputError('no such grant year', 'Året finns inte.');
  const rows = await db
    .selectFrom('grant_ledger as l')
    .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
    .select(['l.id', 'o.code', 'o.name', 'l.population', 'l.allocated_sek', 'l.requested_at', 'l.declined_at', 'l.request_extended_until'])
    .where('l.grant_year_id', '=', yearId)
    .orderBy('o.code')
    .execute();
  const isDecliner = (r: (typeof rows)[number]) => !!r.declined_at || (!r.requested_at && Date.parse(requestDeadlineOf(year, r)) < now.getTime());
  const requesters = rows.filter((r) => r.requested_at && !r.declined_at);
  const decliners = rows.filter((r) => !requesters.includes(r) && isDecliner(r));
  const freed = decliners.reduce((s, r) => s + Number(r.allocated_sek), 0);
  if (requesters.length === 0) throw new GrantInputError('nobody has requested', 'Ingen har rekvirerat ännu, så det finns ingen att fördela om till.');
  if (freed === 0) throw new GrantInputError('there is nothing declined to redistribute', 'Det finns inga avböjda eller ej rekvirerade medel att fördela om.');
  const pool = freed + requesters.reduce((s, r) => s + Number(r.allocated_sek), 0);
  const inputs = requesters.map((r) => ({ id: r.id, code: r.code, population: r.population ?? -1 }));
  let amounts: number[];
  try {
    if (year.rule === 'population_floor') amounts = allocateByPopulation(inputs, pool, year.floor_sek).map((l) => l.amount);
    else if (year.rule === 'equal') amounts = allocateEqually(inputs, pool).map((l) => l.amount);
    else amounts = largestRemainder(pool, requesters.map((r) => Number(r.allocated_sek)), requesters.map((r) => r.code));
  } catch (e) {
    if (e instanceof AllocationError) throw new GrantInputError(e.message, e.sv);
    throw e;
  }
  const lines: RedistributionLine[] = [
    ...requesters.map((r, i) => ({ ledgerId: r.id, code: r.code, name: r.name, role: 'requester' as const, before: Number(r.allocated_sek), after: amounts[i] })),
    ...decliners.map((r) => ({ ledgerId: r.id, code: r.code, name: r.name, role: 'decliner' as const, before: Number(r.allocated_sek), after: 0 })),
  ].sort((a, b) => (a.code < b.code ? -1 : 1));
  const sumBefore = rows.reduce((s, r) => s + Number(r.allocated_sek), 0);
  const changedIds = new Set(lines.map((l) => l.ledgerId));
  const sumAfter = rows.filter((r) => !changedIds.has(r.id)).reduce((s, r) => s + Number(r.allocated_sek), 0) + lines.reduce((s, l) => s + l.after, 0);
  const key = createHash('sha256').update(lines.map((l) => `${l.ledgerId}:${l.before}:${l.after}`).join(',')).digest('hex').slice(0, 16);
  return { freed, lines, sumBefore, sumAfter, key };
}

/**
 * Applies the redistribution in one transaction, audited (one entry for the year, one per
 * changed row), and derives the statuses again.
 * @example const done = await redistributeDeclined(db, yearId, user.id, { expectedKey: preview.key })
 */
export async function redistributeDeclined(db: Kysely<Database>, yearId: number, actorUserId: number | null, options: { expectedKey?: string; now?: Date } = {}): Promise<Redistribution> {
  const now = options.now ?? new Date();
  const plan = await planRedistribution(db, yearId, now);
  if (options.expectedKey !== undefined && options.expectedKey !== plan.key)
    throw new GrantInputError('the ledger changed since the preview', 'Registret har ändrats sedan förhandsvisningen. Granska den nya fördelningen och bekräfta igen.');
  if (plan.sumAfter !== plan.sumBefore) throw new Error(`redistribution would change the sum: ${plan.sumBefore} → ${plan.sumAfter}`);
  const reason = 'Omfördelning av avböjda medel';
  await db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const changed = plan.lines.filter((l) => l.after !== l.before);
    for (const l of changed) {
      const row = await trx.selectFrom('grant_ledger').select(['allocated_sek', 'requested_sek']).where('id', '=', l.ledgerId).executeTakeFirstOrThrow();
      const set =
        l.role === 'requester' && row.requested_sek != null
          ? { allocated_sek: l.after, requested_sek: Math.max(0, Number(row.requested_sek) + l.after - l.before) }
          : { allocated_sek: l.after };
      await trx.updateTable('grant_ledger').set({ ...set, updated_at: at }).where('id', '=', l.ledgerId).execute();
      await audit(trx, { actorUserId, action: 'grant.ledger.redistribute', entity: 'grant_ledger', entityId: l.ledgerId, before: { allocated_sek: l.before, requested_sek: row.requested_sek }, after: set, reason });
    }
    await refreshLedgerRows(trx, changed.map((l) => l.ledgerId));
    await audit(trx, {
      actorUserId,
      action: 'grant.redistribute',
      entity: 'grant_year',
      entityId: yearId,
      after: { freed: plan.freed, requesters: plan.lines.filter((l) => l.role === 'requester').length, decliners: plan.lines.filter((l) => l.role === 'decliner').length, sum: plan.sumAfter },
      reason,
    });
  });
  return plan;
}
