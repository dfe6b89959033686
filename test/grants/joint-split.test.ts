import { afterEach, describe, expect, it } from 'vitest';
import { splitJointReport, type JointShareInput } from '../../app/models/grants/joint-split';
import { listLedger } from '../../app/models/grants/ledger.server';
import { bookRequestedPayments, updateLedgerRow } from '../../app/models/grants/ledger-write.server';
import { answerOffer } from '../../app/models/grants/rekvisition.server';
import { ensureReportRound } from '../../app/models/grants/report-round.server';
import { syncGrantReports } from '../../app/models/grants/reports.server';
import { createJointReport } from '../../app/models/rounds/joint.server';
import { accessToken } from '../../app/models/rounds/rounds.server';
import { freshDb, type TestDb } from '../helpers/db';
import { kommunYear2018, ledgerIdOf, orgIdOf, submitReport } from './fixtures';

const row = (ledgerId: number, code: string, paid: number | null, more: Partial<JointShareInput> = {}): JointShareInput => ({ ledgerId, code, requested: true, paid_sek: paid, requested_sek: paid, allocated_sek: paid ?? 100_000, ...more });

describe('splitting a joint återrapportering over its members', () => {
  it('splits used and granted in proportion to paid, whole kronor summing exactly (largest remainder)', () => {
    const shares = splitJointReport([row(1, '0114', 100_000), row(2, '0115', 200_000), row(3, '0117', 100_001)], 300_000, 400_001);
    expect(shares.map((s) => s.used_sek)).toEqual([75_000, 150_000, 75_000]);
    expect(shares.reduce((s, x) => s + x.used_sek!, 0)).toBe(300_000);
    expect(shares.map((s) => s.reported_sek)).toEqual([100_000, 200_000, 100_001]);
    // Three equal weights and 100 kr: the odd krona goes to the lowest code.
    expect(splitJointReport([row(3, '0117', 10), row(1, '0114', 10), row(2, '0115', 10)], 100, null).map((s) => [s.ledgerId, s.used_sek, s.reported_sek])).toEqual([
      [3, 33, null],
      [1, 34, null],
      [2, 33, null],
    ]);
  });

  it('leaves out members that did not request, weighs by requested (else allocated) before payment, and keeps a lone report whole', () => {
    const shares = splitJointReport([row(1, '0114', null, { requested_sek: 300_000 }), row(2, '0115', null, { requested_sek: null, allocated_sek: 100_000 }), row(3, '0117', null, { requested: false })], 200_000, 400_000);
    expect(shares).toEqual([
      { ledgerId: 1, used_sek: 150_000, reported_sek: 300_000 },
      { ledgerId: 2, used_sek: 50_000, reported_sek: 100_000 },
    ]);
    expect(splitJointReport([row(1, '0114', null, { requested: false })], 5, 7)).toEqual([{ ledgerId: 1, used_sek: 5, reported_sek: 7 }]);
    expect(splitJointReport([row(1, '0114', 0), row(2, '0115', 0)], 3, 0).map((s) => s.used_sek)).toEqual([2, 1]);
  });
});

describe('a joint återrapportering in the ledger', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it("writes each member's share into its own ledger row, so each status derives; a lone report stays whole", async () => {
    t = await freshDb();
    const { year } = await kommunYear2018(t.db);
    const codes = ['0114', '0115', '0117', '0120'];
    const ids = Object.fromEntries(await Promise.all(codes.map(async (c) => [c, await ledgerIdOf(t.db, year.id, c)] as const)));
    for (const c of codes) await answerOffer(t.db, { ledgerId: ids[c], organisationId: await orgIdOf(t.db, c), userId: null as unknown as number, email: 'e@k.se', name: 'Eva Ek', role: 'Socialchef', decision: 'request' });
    await bookRequestedPayments(t.db, year.id, '2018-02-15', null);
    // 0117 was paid less than it requested: the split follows what was paid.
    await updateLedgerRow(t.db, ids['0117'], { paid_sek: 50_000 }, 'Delutbetalning', null);
    let ledger = await listLedger(t.db, year.id);
    const paid = (c: string) => ledger.find((l) => l.code === c)!.paid_sek!;
    const { roundId } = await ensureReportRound(t.db, year.id, null);
    await createJointReport(t.db, { roundId, leadCode: '0114', memberCodes: ['0115', '0117'] });
    const assignments = await t.db.selectFrom('assignments as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select(['a.id', 'a.token_nonce', 'o.code']).where('a.round_id', '=', roundId).execute();
    const token = (c: string) => accessToken(assignments.find((a) => a.code === c)!);
    const group = paid('0114') + paid('0115') + paid('0117');
    const used = group - 30_001;
    await submitReport(t.db, token('0114'), group, used);
    expect(await syncGrantReports(t.db, { yearId: year.id })).toBe(3);
    ledger = await listLedger(t.db, year.id);
    const line = (c: string) => ledger.find((l) => l.code === c)!;
    const weights = ['0114', '0115', '0117'].map(paid);
    const exact = weights.map((w) => (used * w) / group);
    const shares = ['0114', '0115', '0117'].map((c) => line(c).used_sek!);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(used);
    shares.forEach((s, i) => expect(Math.abs(s - exact[i])).toBeLessThan(1));
    expect(['0114', '0115', '0117'].map((c) => line(c).reported_sek)).toEqual(weights);
    expect(['0114', '0115', '0117', '0120'].map((c) => line(c).status)).toEqual(['forbrukat', 'forbrukat', 'forbrukat', 'vantar']);
    expect(['0114', '0115', '0117'].every((c) => line(c).expectedRepayment === paid(c) - line(c).used_sek!)).toBe(true);
    const grants = await t.db.selectFrom('grants as g').innerJoin('organisations as o', 'o.id', 'g.organisation_id').select(['o.code', 'g.used_sek']).where('o.code', 'in', ['0114', '0115', '0117']).orderBy('o.code').execute();
    expect(grants.map((g) => Number(g.used_sek))).toEqual(shares);
    const audits = await t.db.selectFrom('audit_log').select(['entity_id', 'reason']).where('action', '=', 'grant.report').execute();
    expect(audits).toHaveLength(3);
    expect(audits.every((a) => /Gemensam/.test(a.reason!))).toBe(true);
    // Nothing new: no change.
    expect(await syncGrantReports(t.db, { yearId: year.id })).toBe(0);

    // A recipient outside any joint report keeps its own amounts whole.
    await submitReport(t.db, token('0120'), paid('0120'), paid('0120'));
    expect(await syncGrantReports(t.db, { yearId: year.id })).toBe(1);
    expect((await listLedger(t.db, year.id)).find((l) => l.code === '0120')!.used_sek).toBe(paid('0120'));
  });

  it('a joint report created after the lead was read in splits the amounts on the next sync', async () => {
    t = await freshDb();
    const { year } = await kommunYear2018(t.db);
    const codes = ['0114', '0115'];
    const ids = Object.fromEntries(await Promise.all(codes.map(async (c) => [c, await ledgerIdOf(t.db, year.id, c)] as const)));
    for (const c of codes) await answerOffer(t.db, { ledgerId: ids[c], organisationId: await orgIdOf(t.db, c), userId: null as unknown as number, email: 'e@k.se', name: 'Eva Ek', role: 'Socialchef', decision: 'request' });
    await bookRequestedPayments(t.db, year.id, '2018-02-15', null);
    await updateLedgerRow(t.db, ids['0114'], { paid_sek: 100_000 }, 'Justering', null);
    await updateLedgerRow(t.db, ids['0115'], { paid_sek: 300_000 }, 'Justering', null);
    const { roundId } = await ensureReportRound(t.db, year.id, null);
    const a = await t.db.selectFrom('assignments as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select(['a.id', 'a.token_nonce', 'o.code']).where('a.round_id', '=', roundId).where('o.code', '=', '0114').executeTakeFirstOrThrow();
    await submitReport(t.db, accessToken(a), 400_000, 400_000);
    // 0114's used amount exceeds its own payment until 0115 is known to be in the group.
    expect(await syncGrantReports(t.db, { yearId: year.id })).toBe(1);
    expect((await listLedger(t.db, year.id)).find((l) => l.code === '0114')!.disagreements.map((d) => d.rule)).toContain('used_over_paid');
    await createJointReport(t.db, { roundId, leadCode: '0114', memberCodes: ['0115'] });
    expect(await syncGrantReports(t.db, { yearId: year.id })).toBe(2);
    const ledger = await listLedger(t.db, year.id);
    expect(['0114', '0115'].map((c) => ledger.find((l) => l.code === c)!.used_sek)).toEqual([100_000, 300_000]);
    expect(ledger.flatMap((l) => (['0114', '0115'].includes(l.code) ? l.disagreements.map((d) => d.rule) : []))).not.toContain('used_over_paid');
  });
});
