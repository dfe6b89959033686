import type { Kysely } from 'kysely';
import type { Database, LedgerRow, LedgerStatus } from '../../../db/schema';
import { audit } from '../auth/audit.server';
import { allocateByPopulation, allocateEqually, AllocationError, type AllocationLine } from './allocation';
import { getYear, GrantInputError, type YearSummary } from './programs.server';
import { factsOf, refreshLedgerRows } from './record.server';
import { disagreementsOf, expectedRepayment, LEDGER_STATUS_LABELS, type Disagreement } from './status';

/**
 * The ledger of one grant year: the allocation (computed into it), the rows with their derived
 * status, Tabell 8 and the disagreement view.
 */

export interface LedgerLine extends Omit<LedgerRow, 'allocated_sek' | 'requested_sek' | 'paid_sek' | 'used_sek' | 'reported_sek' | 'repaid_sek' | 'reclaimed_sek'> {
  code: string;
  name: string;
  allocated_sek: number;
  requested_sek: number | null;
  paid_sek: number | null;
  used_sek: number | null;
  reported_sek: number | null;
  repaid_sek: number;
  reclaimed_sek: number;
  statusLabel: string;
  expectedRepayment: number | null;
  disagreements: Disagreement[];
}

/**
 * Computes the allocation of a kommun (population with floor) or region (equal) year into its
 * ledger, one row per active organisation of the kind. Refused once anyone has requested: the
 * amounts they signed for must not move.
 * @example const lines = await computeAllocation(db, yearId, user.id)
 */
export async function computeAllocation(db: Kysely<Database>, yearId: number, actorUserId: number | null): Promise<AllocationLine[]> {
  const year = await getYear(db, yearId);
  if (!year) throw new GrantInputError('no such grant year', 'Året finns inte.');
  if (year.rule === 'decision') throw new GrantInputError('amounts of this year are entered per decision', 'För det här året förs beloppen in per beslut, inte beräknas.');
  if (year.requested > 0) throw new GrantInputError('recipients have already requested; the allocation is fixed', 'Mottagare har redan rekvirerat, så fördelningen kan inte räknas om.');
  const orgs = await db
    .selectFrom('organisations')
    .select(['id', 'code', 'population', 'population_year'])
    .where('kind', '=', year.recipient_kind)
    .where('active', '=', 1)
    .orderBy('code')
    .execute();
  const inputs = orgs.map((o) => ({ id: o.id, code: o.code, population: o.population ?? (year.rule === 'equal' ? 0 : -1) }));
  let lines: AllocationLine[];
  try {
    lines = year.rule === 'population_floor' ? allocateByPopulation(inputs, year.total_sek, year.floor_sek) : allocateEqually(inputs, year.total_sek);
  } catch (e) {
    if (e instanceof AllocationError) throw new GrantInputError(e.message, e.sv);
    throw e;
  }
  const populationYear = year.rule === 'population_floor' ? Math.max(...orgs.map((o) => o.population_year ?? 0)) || null : null;
  await db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    for (let i = 0; i < lines.length; i += 200) {
      await trx
        .insertInto('grant_ledger')
        .values(
          lines.slice(i, i + 200).map((l) => ({
            grant_year_id: yearId,
            organisation_id: l.id,
            population: year.rule === 'population_floor' ? l.population : null,
            allocated_sek: l.amount,
            status: 'ej_rekvirerat' as const,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['grant_year_id', 'organisation_id']).doUpdateSet((eb) => ({
            allocated_sek: eb.ref('excluded.allocated_sek'),
            population: eb.ref('excluded.population'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
    await trx.updateTable('grant_years').set({ allocated_at: now, population_year: populationYear, updated_at: now }).where('id', '=', yearId).execute();
    const ids = (await trx.selectFrom('grant_ledger').select('id').where('grant_year_id', '=', yearId).execute()).map((r) => r.id);
    await refreshLedgerRows(trx, ids);
    const sum = lines.reduce((s, l) => s + l.amount, 0);
    await audit(trx, { actorUserId, action: 'grant.allocate', entity: 'grant_year', entityId: yearId, after: { recipients: lines.length, sum, floored: lines.filter((l) => l.floored).length, populationYear } });
  });
  return lines;
}

/** The ledger rows of a year, by organisation code, with status, expected repayment and disagreements. */
export async function listLedger(db: Kysely<Database>, yearId: number, options: { now?: Date; organisationId?: number } = {}): Promise<LedgerLine[]> {
  const year = await getYear(db, yearId);
  if (!year) return [];
  let query = db
    .selectFrom('grant_ledger as l')
    .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
    .selectAll('l')
    .select(['o.code', 'o.name'])
    .where('l.grant_year_id', '=', yearId);
  if (options.organisationId) query = query.where('l.organisation_id', '=', options.organisationId);
  const rows = await query.orderBy('o.code').execute();
  const overdue = Date.parse(year.report_deadline) < (options.now ?? new Date()).getTime();
  return rows.map((r) => lineOf(r, overdue));
}

export function lineOf(r: LedgerRow & { code: string; name: string }, reportOverdue: boolean): LedgerLine {
  const f = factsOf(r);
  return {
    ...r,
    ...f,
    allocated_sek: Number(r.allocated_sek),
    statusLabel: LEDGER_STATUS_LABELS[r.status],
    expectedRepayment: expectedRepayment(f),
    disagreements: disagreementsOf(f, { reportOverdue }),
  };
}

export interface Tabell8 {
  counts: Record<LedgerStatus, number>;
  /** Every recipient of the year: the counts always sum to it. */
  total: number;
  sums: { allocated: number; requested: number; paid: number; used: number; repaid: number; reclaimed: number };
}

/** Tabell 8 of a year, from the ledger: recipients by status, and the money at each step. */
export function tabell8(lines: LedgerLine[]): Tabell8 {
  const counts: Record<LedgerStatus, number> = { ej_rekvirerat: 0, vantar: 0, forbrukat: 0, aterbetalt: 0 };
  const sums = { allocated: 0, requested: 0, paid: 0, used: 0, repaid: 0, reclaimed: 0 };
  for (const l of lines) {
    counts[l.status] += 1;
    sums.allocated += l.allocated_sek;
    sums.requested += l.requested_sek ?? 0;
    sums.paid += l.paid_sek ?? 0;
    sums.used += l.used_sek ?? 0;
    sums.repaid += l.repaid_sek;
    sums.reclaimed += l.reclaimed_sek;
  }
  return { counts, total: lines.length, sums };
}

export type { YearSummary };

/** One ledger row with its year, for the row page. */
export async function getLedgerLine(db: Kysely<Database>, ledgerId: number, now = new Date()): Promise<{ line: LedgerLine; year: YearSummary } | undefined> {
  const row = await db
    .selectFrom('grant_ledger as l')
    .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
    .selectAll('l')
    .select(['o.code', 'o.name'])
    .where('l.id', '=', ledgerId)
    .executeTakeFirst();
  if (!row) return undefined;
  const year = (await getYear(db, row.grant_year_id))!;
  return { line: lineOf(row, Date.parse(year.report_deadline) < now.getTime()), year };
}
