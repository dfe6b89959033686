import type { Kysely, Transaction } from 'kysely';
import type { Database, LedgerRow, LedgerStatus } from '../../../db/schema';
import { deriveStatus, type LedgerFacts } from './status';

/**
 * Keeps the two ledgers in step: after any change to a `grant_ledger` row its status is derived
 * again, and the matching `grants` row (what comparisons, the map and Tabell 8 read) is written.
 * In `grants`, allocated_sek is what the recipient received (its CHECK demands used + repaid =
 * allocated): nothing for inte rekvirerat, the payment otherwise, with the unused part as repaid
 * (booked or still expected). A row still waiting for its report has no `grants` row, so it
 * falls in the comparison's "uppgift saknas" group until the report is in.
 */

type Trx = Kysely<Database> | Transaction<Database>;

export const factsOf = (r: Pick<LedgerRow, keyof LedgerFacts>): LedgerFacts => ({
  requested_at: r.requested_at,
  declined_at: r.declined_at,
  requested_sek: r.requested_sek == null ? null : Number(r.requested_sek),
  paid_sek: r.paid_sek == null ? null : Number(r.paid_sek),
  used_sek: r.used_sek == null ? null : Number(r.used_sek),
  reported_sek: r.reported_sek == null ? null : Number(r.reported_sek),
  repaid_sek: Number(r.repaid_sek),
  reclaimed_sek: Number(r.reclaimed_sek),
});

export function grantAmounts(status: LedgerStatus, f: LedgerFacts): { allocated_sek: number; used_sek: number; repaid_sek: number } {
  if (status === 'ej_rekvirerat') return { allocated_sek: 0, used_sek: 0, repaid_sek: 0 };
  const used = f.used_sek ?? 0;
  const received = Math.max(f.paid_sek ?? 0, used);
  return status === 'aterbetalt' ? { allocated_sek: received, used_sek: 0, repaid_sek: received } : { allocated_sek: received, used_sek: used, repaid_sek: received - used };
}

/** Derives the status of ledger rows again and writes them through to `grants`. */
export async function refreshLedgerRows(trx: Trx, ledgerIds: number[]): Promise<void> {
  if (ledgerIds.length === 0) return;
  const now = new Date().toISOString();
  for (let i = 0; i < ledgerIds.length; i += 300) {
    const rows = await trx
      .selectFrom('grant_ledger as l')
      .innerJoin('grant_years as y', 'y.id', 'l.grant_year_id')
      .innerJoin('grant_programs as p', 'p.id', 'y.program_id')
      .selectAll('l')
      .select(['p.code as program', 'y.year'])
      .where('l.id', 'in', ledgerIds.slice(i, i + 300))
      .execute();
    const upserts = [];
    for (const row of rows) {
      const facts = factsOf(row);
      const status = deriveStatus(facts);
      if (status !== row.status) await trx.updateTable('grant_ledger').set({ status }).where('id', '=', row.id).execute();
      if (status === 'vantar') {
        await trx.deleteFrom('grants').where('organisation_id', '=', row.organisation_id).where('program', '=', row.program).where('year', '=', row.year).execute();
        continue;
      }
      upserts.push({ organisation_id: row.organisation_id, program: row.program, year: row.year, status, ...grantAmounts(status, facts), created_at: now, updated_at: now });
    }
    if (upserts.length === 0) continue;
    await trx
      .insertInto('grants')
      .values(upserts)
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'program', 'year']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          allocated_sek: eb.ref('excluded.allocated_sek'),
          used_sek: eb.ref('excluded.used_sek'),
          repaid_sek: eb.ref('excluded.repaid_sek'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
