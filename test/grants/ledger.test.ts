import { afterEach, describe, expect, it } from 'vitest';
import { syncGrantReports } from '../../app/models/grants/reports.server';
import { listLedger, tabell8 } from '../../app/models/grants/ledger.server';
import { bookRequestedPayments, recordReclaim, updateLedgerRow } from '../../app/models/grants/ledger-write.server';
import { answerOffer, grantOffers } from '../../app/models/grants/rekvisition.server';
import { ensureReportRound } from '../../app/models/grants/report-round.server';
import { getYear, GrantInputError } from '../../app/models/grants/programs.server';
import { accessToken } from '../../app/models/rounds/rounds.server';
import { freshDb, type TestDb } from '../helpers/db';
import { kommunYear2018, ledgerIdOf, orgIdOf, PROGRAM, submitReport } from './fixtures';

const sign = (ledgerId: number, organisationId: number, decision: 'request' | 'decline' = 'request') => ({
  ledgerId,
  organisationId,
  userId: null as unknown as number,
  email: 'eva.ek@kommun.se',
  name: 'Eva Ek',
  role: 'Socialchef',
  decision,
});

describe('the grant year ledger', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('allocates 50 000 000 kr exactly over the 290 kommuner with the 80 000 kr floor, written to grants as inte rekvirerat', async () => {
    t = await freshDb();
    const { year, lines } = await kommunYear2018(t.db);
    expect(lines).toHaveLength(290);
    expect(lines.reduce((s, l) => s + l.amount, 0)).toBe(50_000_000);
    expect(lines.filter((l) => l.floored).every((l) => l.amount === 80_000)).toBe(true);
    expect(lines.filter((l) => !l.floored).every((l) => l.amount >= 80_000)).toBe(true);
    const ledger = await listLedger(t.db, year.id);
    expect(ledger.reduce((s, l) => s + l.allocated_sek, 0)).toBe(50_000_000);
    const grants = await t.db.selectFrom('grants').select(['status']).where('program', '=', PROGRAM).where('year', '=', 2018).execute();
    expect(grants).toHaveLength(290);
    expect(new Set(grants.map((g) => g.status))).toEqual(new Set(['ej_rekvirerat']));
  });

  it('finds a year by its id, and nothing for an id no year has', async () => {
    t = await freshDb();
    const { year } = await kommunYear2018(t.db);
    expect((await getYear(t.db, year.id))?.total_sek).toBe(50_000_000);
    expect(await getYear(t.db, year.id + 1000)).toBeUndefined();
  });

  it('rekvisition: once, before the deadline; a late one only with an extension; a decline stays inte rekvirerat', async () => {
    t = await freshDb();
    const { year } = await kommunYear2018(t.db, { requestDeadline: '2019-03-31T21:59:59Z' });
    const sthlm = await ledgerIdOf(t.db, year.id, '0180');
    const org = await orgIdOf(t.db, '0180');
    const late = new Date('2019-04-02T10:00:00Z');
    await expect(answerOffer(t.db, sign(sthlm, org), late)).rejects.toThrow(/deadline has passed/);
    await updateLedgerRow(t.db, sthlm, { request_extended_until: '2019-04-30T21:59:59Z' }, 'Försenad nämnd', null);
    await answerOffer(t.db, sign(sthlm, org), late);
    const err = await answerOffer(t.db, sign(sthlm, org), late).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrantInputError);
    expect((err as GrantInputError).sv).toMatch(/rekvirerades redan/);
    const offer = (await grantOffers(t.db, org, late))[0];
    expect(offer.requestedSek).toBe(offer.allocatedSek);
    expect(offer.requestedBy).toBe('Eva Ek, Socialchef');
    const receipt = await t.db.selectFrom('outbox').select(['to_address', 'subject', 'text_body']).where('kind', '=', 'receipt').executeTakeFirstOrThrow();
    expect(receipt.to_address).toBe('eva.ek@kommun.se');
    expect(receipt.text_body).toMatch(/Undertecknat av Eva Ek, Socialchef/);
    // Another organisation's row is not reachable.
    await expect(answerOffer(t.db, sign(sthlm, await orgIdOf(t.db, '0114')), late)).rejects.toThrow(/no such grant/);
  });

  it('derives every status from rekvisition, payment and återrapportering; Tabell 8 sums to 290', async () => {
    t = await freshDb();
    const { year } = await kommunYear2018(t.db);
    const codes = ['0114', '0115', '0117', '0120'];
    const ids = Object.fromEntries(await Promise.all(codes.map(async (c) => [c, await ledgerIdOf(t.db, year.id, c)] as const)));
    for (const c of codes.slice(0, 3)) await answerOffer(t.db, sign(ids[c], await orgIdOf(t.db, c)));
    await answerOffer(t.db, sign(ids['0120'], await orgIdOf(t.db, '0120'), 'decline'));
    expect(await bookRequestedPayments(t.db, year.id, '2018-02-15', null)).toBe(3);
    let ledger = await listLedger(t.db, year.id);
    const line = (c: string) => ledger.find((l) => l.code === c)!;
    expect(codes.map((c) => line(c).status)).toEqual(['vantar', 'vantar', 'vantar', 'ej_rekvirerat']);
    // Requested but not reported: no grants row yet (the comparison shows it as "uppgift saknas").
    expect(await t.db.selectFrom('grants').select('id').where('organisation_id', '=', await orgIdOf(t.db, '0114')).executeTakeFirst()).toBeUndefined();

    const { roundId } = await ensureReportRound(t.db, year.id, null);
    const assignments = await t.db.selectFrom('assignments as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select(['a.id', 'a.token_nonce', 'o.code']).where('a.round_id', '=', roundId).execute();
    expect(assignments.map((a) => a.code).sort()).toEqual(['0114', '0115', '0117']);
    const paid = (c: string) => line(c).paid_sek!;
    const token = (c: string) => accessToken(assignments.find((a) => a.code === c)!);
    await submitReport(t.db, token('0114'), paid('0114'), paid('0114')); // all used
    await submitReport(t.db, token('0115'), paid('0115'), paid('0115') - 20_000); // part used
    await submitReport(t.db, token('0117'), paid('0117'), 0); // nothing used
    expect(await syncGrantReports(t.db, { surveyId: 'aterrapportering-kommun-2018' })).toBe(3);
    ledger = await listLedger(t.db, year.id);
    expect(codes.map((c) => line(c).status)).toEqual(['forbrukat', 'forbrukat', 'aterbetalt', 'ej_rekvirerat']);
    expect(line('0115').expectedRepayment).toBe(20_000);
    expect(line('0115').disagreements.map((d) => d.rule)).toEqual(['repayment_missing']);
    expect(line('0117').disagreements.map((d) => d.rule)).toEqual(['repayment_missing']);
    // Booking the repayment matches the expectation.
    await updateLedgerRow(t.db, ids['0115'], { repaid_sek: 20_000, repaid_at: '2019-06-10' }, 'Inbetalning', null);
    await updateLedgerRow(t.db, ids['0117'], { repaid_sek: paid('0117'), repaid_at: '2019-06-11' }, 'Inbetalning', null);
    await recordReclaim(t.db, ids['0114'], 15_000, 'Medel använda till annat än syftet', null);
    ledger = await listLedger(t.db, year.id);
    expect(ledger.flatMap((l) => l.disagreements)).toEqual([]);
    expect(line('0114').reclaimed_sek).toBe(15_000);
    expect(line('0114').reviewed_at).not.toBeNull();

    const t8 = tabell8(ledger);
    expect(t8.counts).toEqual({ ej_rekvirerat: 287, vantar: 0, forbrukat: 2, aterbetalt: 1 });
    expect(Object.values(t8.counts).reduce((a, b) => a + b, 0)).toBe(290);
    // grants, which comparisons read, holds the same three statuses and consistent amounts.
    const grants = await t.db.selectFrom('grants').select(['status', 'allocated_sek', 'used_sek', 'repaid_sek']).where('program', '=', PROGRAM).where('year', '=', 2018).execute();
    expect(grants).toHaveLength(290);
    const byStatus = (s: string) => grants.filter((g) => g.status === s).length;
    expect([byStatus('ej_rekvirerat'), byStatus('forbrukat'), byStatus('aterbetalt')]).toEqual([287, 2, 1]);
    // Every change is in the audit log with its reason.
    const entries = await t.db.selectFrom('audit_log').select(['action', 'reason']).where('entity', '=', 'grant_ledger').execute();
    expect(entries.filter((e) => e.action === 'grant.ledger.update').every((e) => e.reason)).toBe(true);
    expect(entries.some((e) => e.action === 'grant.reclaim' && e.reason === 'Medel använda till annat än syftet')).toBe(true);
  });

  it('refuses negative amounts, used > paid and a reason-less change, and keeps the row as it was', async () => {
    t = await freshDb();
    const { year } = await kommunYear2018(t.db);
    const id = await ledgerIdOf(t.db, year.id, '0180');
    const before = await t.db.selectFrom('grant_ledger').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await expect(updateLedgerRow(t.db, id, { paid_sek: -5 }, 'x', null)).rejects.toThrow(/whole number/);
    await expect(updateLedgerRow(t.db, id, { paid_sek: 100, used_sek: 200 }, 'x', null)).rejects.toThrow(/exceeds paid/);
    await expect(updateLedgerRow(t.db, id, { paid_sek: 100 }, '  ', null)).rejects.toThrow(/reason/);
    expect(await t.db.selectFrom('grant_ledger').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toEqual(before);
  });
});
