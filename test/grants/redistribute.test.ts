import { afterEach, describe, expect, it } from 'vitest';
import * as page from '~/routes/admin.medel.$yearId.omfordela';
import { setDb } from '~/utils/db.server';
import { allocateByPopulation } from '../../app/models/grants/allocation';
import { listLedger } from '../../app/models/grants/ledger.server';
import { answerOffer } from '../../app/models/grants/rekvisition.server';
import { planRedistribution, redistributeDeclined } from '../../app/models/grants/redistribute.server';
import { signedIn } from '../auth/helpers';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';
import { kommunYear2018, ledgerIdOf, orgIdOf } from './fixtures';

const answer = async (db: TestDb['db'], yearId: number, code: string, decision: 'request' | 'decline', now?: Date) =>
  answerOffer(db, { ledgerId: await ledgerIdOf(db, yearId, code), organisationId: await orgIdOf(db, code), userId: null as unknown as number, email: 'e@k.se', name: 'Eva Ek', role: 'Socialchef', decision }, now);

describe('Fördela om avböjda medel', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('after the deadline: every non-requester gets 0, the requesters share the 50 000 000 kr exactly, with the floor', async () => {
    t = await freshDb();
    const { year } = await kommunYear2018(t.db, { requestDeadline: '2019-03-31T21:59:59Z' });
    const before = new Date('2019-03-01T10:00:00Z');
    for (const c of ['0180', '1280', '1480', '2403']) await answer(t.db, year.id, c, 'request', before);
    await answer(t.db, year.id, '0114', 'decline', before);
    const plan = await planRedistribution(t.db, year.id, new Date('2019-04-15T10:00:00Z'));
    expect(plan.lines.filter((l) => l.role === 'decliner')).toHaveLength(286);
    expect(plan.sumBefore).toBe(50_000_000);
    expect(plan.sumAfter).toBe(50_000_000);
    await redistributeDeclined(t.db, year.id, null, { expectedKey: plan.key, now: new Date('2019-04-15T10:00:00Z') });
    const ledger = await listLedger(t.db, year.id);
    const line = (c: string) => ledger.find((l) => l.code === c)!;
    expect(ledger.reduce((s, l) => s + l.allocated_sek, 0)).toBe(50_000_000);
    expect(ledger.filter((l) => !['0180', '1280', '1480', '2403'].includes(l.code)).every((l) => l.allocated_sek === 0)).toBe(true);
    // Bjurholm's proportional share (about 65 000 kr) is under the floor: it gets 80 000 kr.
    expect(line('2403').allocated_sek).toBe(80_000);
    const expected = allocateByPopulation(
      ledger.filter((l) => ['0180', '1280', '1480', '2403'].includes(l.code)).map((l) => ({ id: l.id, code: l.code, population: l.population! })),
      50_000_000,
      80_000,
    );
    expect(['0180', '1280', '1480', '2403'].map((c) => line(c).allocated_sek)).toEqual(expected.map((e) => e.amount));
    // What they signed for follows: the whole (new) share.
    expect(['0180', '1280', '1480', '2403'].every((c) => line(c).requested_sek === line(c).allocated_sek)).toBe(true);
    expect(line('0114').status).toBe('ej_rekvirerat');
    const grantSum = await t.db.selectFrom('grant_ledger').select((eb) => eb.fn.sum<number>('allocated_sek').as('s')).where('grant_year_id', '=', year.id).executeTakeFirstOrThrow();
    expect(Number(grantSum.s)).toBe(50_000_000);
    const audits = await t.db.selectFrom('audit_log').select(['action', 'after']).where('action', 'like', 'grant.%redistribute').execute();
    expect(audits.filter((a) => a.action === 'grant.redistribute').map((a) => JSON.parse(a.after!))).toEqual([{ freed: plan.freed, requesters: 4, decliners: 286, sum: 50_000_000 }]);
    expect(audits.filter((a) => a.action === 'grant.ledger.redistribute').length).toBeGreaterThanOrEqual(4);
    // Once done, there is nothing left to redistribute.
    await expect(planRedistribution(t.db, year.id, new Date('2019-04-15T10:00:00Z'))).rejects.toThrow(/nothing declined/);
  });

  it('before the deadline: only the declines move; those who have not answered keep their allocation', async () => {
    t = await freshDb();
    const { year, lines } = await kommunYear2018(t.db);
    const amount = (c: string) => lines.find((l) => l.code === c)!.amount;
    await answer(t.db, year.id, '0114', 'request');
    await answer(t.db, year.id, '0115', 'request');
    await answer(t.db, year.id, '0117', 'decline');
    const plan = await planRedistribution(t.db, year.id);
    expect(plan.freed).toBe(amount('0117'));
    expect(plan.lines.map((l) => [l.code, l.role])).toEqual([
      ['0114', 'requester'],
      ['0115', 'requester'],
      ['0117', 'decliner'],
    ]);
    const after = Object.fromEntries(plan.lines.map((l) => [l.code, l.after]));
    expect(after['0114'] + after['0115']).toBe(amount('0114') + amount('0115') + amount('0117'));
    expect(after['0117']).toBe(0);
    expect(after['0114']).toBeGreaterThan(amount('0114'));
    expect(plan.sumAfter).toBe(50_000_000);
    // A preview that no longer matches is refused and changes nothing.
    await answer(t.db, year.id, '0120', 'decline');
    await expect(redistributeDeclined(t.db, year.id, null, { expectedKey: plan.key })).rejects.toThrow(/changed since the preview/);
    expect((await listLedger(t.db, year.id)).find((l) => l.code === '0117')!.allocated_sek).toBe(amount('0117'));
  });

  it('route: the preview in the loader, confirmation in the action; a stale or missing key is refused in Swedish', async () => {
    t = await freshDb();
    setDb(t.db);
    const admin = await signedIn(t.db, 'admin');
    const { year } = await kommunYear2018(t.db);
    await answer(t.db, year.id, '0114', 'request');
    await answer(t.db, year.id, '0115', 'decline');
    const params = { yearId: String(year.id) };
    const url = `/admin/medel/${year.id}/omfordela`;
    const data = (await callLoader(page.loader, url, { params, headers: admin.headers })) as Awaited<ReturnType<typeof page.loader>>;
    expect(data.plan!.lines.map((l) => [l.code, l.after - l.before])).toEqual([
      ['0114', data.plan!.freed],
      ['0115', -data.plan!.freed],
    ]);
    const post = (key: string) => {
      const fd = new FormData();
      fd.append('csrf', admin.csrf);
      fd.append('key', key);
      return callAction(page.action, url, { params, headers: admin.headers, body: fd });
    };
    const stale = (await post('0123456789abcdef')) as Response;
    expect(stale.status).toBe(400);
    expect((await stale.json()).message).toMatch(/^Registret har ändrats sedan förhandsvisningen/);
    expect(((await post('')) as Response).status).toBe(400);
    const ok = (await post(data.plan!.key)) as { ok: boolean; message: string };
    expect(ok.ok).toBe(true);
    expect(ok.message).toMatch(/fördelades om till 1 mottagare som rekvirerat\. Årets summa är fortfarande 50\s000\s000 kr\./);
    const again = (await callLoader(page.loader, url, { params, headers: admin.headers })) as Awaited<ReturnType<typeof page.loader>>;
    expect(again).toMatchObject({ plan: null, refusal: 'Det finns inga avböjda eller ej rekvirerade medel att fördela om.' });
    const evaluator = await signedIn(t.db, 'evaluator');
    expect(((await callLoader(page.loader, url, { params, headers: evaluator.headers })) as Response).status).toBe(403);
  });
});
