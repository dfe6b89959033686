import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger } from '../../app/models/grants/ledger.server';
import { refreshLedgerRows } from '../../app/models/grants/record.server';
import { DISAGREEMENT_RULES, type DisagreementRule } from '../../app/models/grants/status';
import { freshDb, type TestDb } from '../helpers/db';
import { kommunYear2018, ledgerIdOf } from './fixtures';

/**
 * Every disagreement rule, on a row of the real ledger (both databases): the facts are set in the
 * table, the status is derived again, and the rule must appear (and only the rules named).
 */
const R = '2018-02-01T10:00:00Z';
const CASES: Record<DisagreementRule, { facts: Record<string, unknown>; also?: DisagreementRule[]; overdue?: boolean }> = {
  repayment_missing: { facts: { requested_at: R, requested_sek: 100_000, paid_sek: 100_000, used_sek: 70_000 } },
  repayment_excess: { facts: { requested_at: R, requested_sek: 100_000, paid_sek: 100_000, used_sek: 100_000, repaid_sek: 5_000 } },
  used_over_paid: { facts: { requested_at: R, requested_sek: 100_000, paid_sek: 100_000, used_sek: 120_000 } },
  paid_not_requested: { facts: { paid_sek: 100_000 } },
  requested_not_paid: { facts: { requested_at: R, requested_sek: 100_000 } },
  paid_differs: { facts: { requested_at: R, requested_sek: 100_000, paid_sek: 90_000 } },
  reported_differs: { facts: { requested_at: R, requested_sek: 100_000, paid_sek: 100_000, used_sek: 100_000, reported_sek: 110_000 } },
  reported_not_requested: { facts: { used_sek: 0 } },
  report_missing: { facts: { requested_at: R, requested_sek: 100_000, paid_sek: 100_000 }, overdue: true },
};

describe('disagreement rules between report and ledger', () => {
  let t: TestDb;
  let yearId: number;
  beforeAll(async () => {
    t = await freshDb();
    yearId = (await kommunYear2018(t.db)).year.id;
  });
  afterAll(async () => t?.destroy());

  it('has a case for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual([...DISAGREEMENT_RULES].sort());
  });

  it.each(Object.entries(CASES))('%s', async (rule, c) => {
    const codes = ['0114', '0115', '0117', '0120', '0123', '0125', '0126', '0127', '0128'];
    const code = codes[DISAGREEMENT_RULES.indexOf(rule as DisagreementRule)];
    const id = await ledgerIdOf(t.db, yearId, code);
    await t.db.updateTable('grant_ledger').set(c.facts).where('id', '=', id).execute();
    await refreshLedgerRows(t.db, [id]);
    const now = c.overdue ? new Date('2100-01-01') : new Date('2019-01-01');
    const line = (await listLedger(t.db, yearId, { now })).find((l) => l.code === code)!;
    expect(line.disagreements.map((d) => d.rule)).toEqual([rule, ...(c.also ?? [])]);
    expect(line.disagreements[0].sv).toMatch(/[a-zåäö]/);
    // Not overdue yet: a missing report is no disagreement before the deadline.
    if (c.overdue) expect((await listLedger(t.db, yearId, { now: new Date('2019-01-01') })).find((l) => l.code === code)!.disagreements).toEqual([]);
  });
});
