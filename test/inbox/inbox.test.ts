import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import { feedToken, organisationInbox } from '~/models/responses/inbox.server';
import { createRound, extendAssignment, findAssignmentByToken } from '~/models/rounds/rounds.server';
import * as calendarRoute from '~/routes/min-organisation.kalender[.]ics';
import * as inboxRoute from '~/routes/min-organisation._index';
import { setDb } from '~/utils/db.server';
import { resetEnvForTests } from '~/utils/env.server';
import { answerAndSubmit, setStatus } from '../admin/fixtures';
import { signedIn, type TestSession } from '../auth/helpers';
import { freshDb, type TestDb } from '../helpers/db';
import { callLoader } from '../helpers/request';

type InboxData = Exclude<Awaited<ReturnType<typeof inboxRoute.loader>>, Response>;
const DAY = 86_400_000;
const orgIds = async (db: Kysely<Database>, codes: string[]) =>
  (await db.selectFrom('organisations').select('id').where('code', 'in', codes).execute()).map((r) => r.id);

/**
 * Stockholm (0180) has three rounds: ÖJ 2019 open and submitted, a follow-up report open as a
 * draft with an extension, and ÖJ 2018 past its deadline, never started. Danderyd (0162) shares
 * ÖJ 2019 and has a round of its own that Stockholm must never see.
 */
async function threeRounds(db: Kysely<Database>) {
  const [sthlm, danderyd] = [(await orgIds(db, ['0180']))[0], (await orgIds(db, ['0162']))[0]];
  const yesterday = new Date(Date.now() - DAY).toISOString();
  const oj2019 = await createRound(db, { surveyId: 'oj-vinr-2019', title: 'ÖJ 2019', opensAt: yesterday, closesAt: new Date(Date.now() + 30 * DAY).toISOString(), organisationIds: [sthlm, danderyd] });
  const report = await createRound(db, {
    surveyId: 'aterrapportering-kommun-2018',
    title: 'Återrapportering 2018, kommuner; del 1',
    opensAt: yesterday,
    closesAt: new Date(Date.now() + 5 * DAY).toISOString(),
    organisationIds: [sthlm],
  });
  // Stockholm's extension moves this deadline past ÖJ 2019's, so it sorts second.
  await extendAssignment(db, report.assignments[0].id, new Date(Date.now() + 40 * DAY).toISOString());
  await setStatus(db, report.round.id, '0180', 'draft', 'Bo Ek');
  // 23:30 UTC on 15 March is 00:30 on 16 March in Stockholm: the calendar day is the 16th.
  const oj2018 = await createRound(db, { surveyId: 'oj-vinr-2018', title: 'ÖJ 2018', opensAt: '2025-01-23T08:00:00Z', closesAt: '2025-03-15T23:30:00Z', organisationIds: [sthlm] });
  const other = await createRound(db, { surveyId: 'oj-vinr-2018', title: 'Bara Danderyd', opensAt: yesterday, closesAt: new Date(Date.now() + 3 * DAY).toISOString(), organisationIds: [danderyd] });
  const sthlmOj2019 = oj2019.assignments.find((a) => a.organisationId === sthlm)!;
  await answerAndSubmit(db, sthlmOj2019.token, 'Anna Berg');
  return { oj2019, report, oj2018, other, sthlmOj2019 };
}

describe('the organisation inbox', () => {
  let t: TestDb;
  let sthlm: TestSession;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    sthlm = await signedIn(t.db, 'respondent', { orgCode: '0180', email: 'anna@stockholm.se' });
  });
  afterEach(async () => t.destroy());

  it('lists open assignments by deadline, then past ones, with status, dates and working links', async () => {
    const f = await threeRounds(t.db);
    const data = (await callLoader(inboxRoute.loader, '/min-organisation', { headers: sthlm.headers })) as InboxData;
    const inbox = data.inbox!;
    expect(inbox.organisation.code).toBe('0180');
    expect(inbox.open.map((i) => [i.roundTitle, i.status, i.extended])).toEqual([
      ['ÖJ 2019', 'submitted', false],
      ['Återrapportering 2018, kommuner; del 1', 'draft', true],
    ]);
    expect(inbox.past.map((i) => [i.roundTitle, i.status])).toEqual([['ÖJ 2018', 'not_started']]);
    const [submitted, draft] = inbox.open;
    expect(submitted).toMatchObject({ submittedBy: 'Anna Berg', surveyTitle: expect.stringContaining('2019') });
    expect(submitted.submittedAt).not.toBeNull();
    expect(submitted.reference).toMatch(/^ENK-/);
    expect(submitted.receiptLink).toBe(`${submitted.formLink}/kvittens`);
    expect(draft).toMatchObject({ lastSavedBy: 'Bo Ek', submittedAt: null, receiptLink: null });
    expect(draft.deadline > f.report.round.closes_at).toBe(true);
    // Each link opens the right assignment.
    const token = (link: string) => link.split('/svar/')[1];
    expect((await findAssignmentByToken(t.db, token(submitted.formLink)))?.id).toBe(f.sthlmOj2019.id);
    expect((await findAssignmentByToken(t.db, token(inbox.past[0].formLink)))?.id).toBe(f.oj2018.assignments[0].id);
    expect(data.feedUrl).toMatch(new RegExp(`/min-organisation/kalender\\.ics\\?token=${feedToken(sthlm.user.id).replace('.', '\\.')}$`));
  });

  it("never shows another organisation's assignments", async () => {
    const f = await threeRounds(t.db);
    const danderyd = await signedIn(t.db, 'respondent', { orgCode: '0162' });
    const theirs = (await callLoader(inboxRoute.loader, '/min-organisation', { headers: danderyd.headers })) as InboxData;
    expect(theirs.inbox!.open.map((i) => i.roundTitle).sort()).toEqual(['Bara Danderyd', 'ÖJ 2019']);
    expect(theirs.inbox!.open.find((i) => i.roundTitle === 'ÖJ 2019')!.status).toBe('not_started');
    const ours = (await organisationInbox(t.db, sthlm.user.organisation_id!))!;
    const ids = [...ours.open, ...ours.past].map((i) => i.assignmentId);
    expect(ids).not.toContain(f.other.assignments[0].id);
    expect(ids).not.toContain(f.oj2019.assignments.find((a) => a.organisationId !== sthlm.user.organisation_id)!.id);
    // A respondent cannot borrow the administrators' ?org= view.
    const sneaky = (await callLoader(inboxRoute.loader, '/min-organisation?org=0162', { headers: sthlm.headers })) as InboxData;
    expect(sneaky.inbox!.organisation.code).toBe('0180');
  });

  it('lets administrators look with ?org= (without a feed), refuses evaluators and sends strangers to sign in', async () => {
    await threeRounds(t.db);
    const admin = await signedIn(t.db, 'admin');
    const picker = (await callLoader(inboxRoute.loader, '/min-organisation', { headers: admin.headers })) as InboxData;
    expect(picker.inbox).toBeNull();
    const view = (await callLoader(inboxRoute.loader, '/min-organisation?org=0180', { headers: admin.headers })) as InboxData;
    expect(view.inbox!.open).toHaveLength(2);
    expect(view.feedUrl).toBeNull();
    expect(((await callLoader(inboxRoute.loader, '/min-organisation?org=9999', { headers: admin.headers })) as Response).status).toBe(404);
    const evaluator = await signedIn(t.db, 'evaluator');
    expect(((await callLoader(inboxRoute.loader, '/min-organisation', { headers: evaluator.headers })) as Response).status).toBe(403);
    const stranger = (await callLoader(inboxRoute.loader, '/min-organisation')) as Response;
    expect(stranger.status).toBe(302);
    expect(stranger.headers.get('Location')).toBe('/logga-in?redirectTo=%2Fmin-organisation');
  });

  it('serves the deadlines as iCalendar for the secret feed token or the session', async () => {
    const f = await threeRounds(t.db);
    const res = (await callLoader(calendarRoute.loader, `/min-organisation/kalender.ics?token=${feedToken(sthlm.user.id)}`)) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
    const uids = lines.filter((l) => l.startsWith('UID:'));
    expect(uids.sort()).toEqual(
      [f.sthlmOj2019.id, f.report.assignments[0].id, f.oj2018.assignments[0].id].map((id) => `UID:assignment-${id}@localhost`).sort(),
    );
    expect(lines).toContain('SUMMARY:Sista svarsdag: Återrapportering 2018\\, kommuner\\; del 1');
    expect(lines).toContain('SUMMARY:Sista svarsdag: ÖJ 2018');
    expect(lines).toContain('DTSTART;VALUE=DATE:20250316');
    const description = lines.find((l) => l.startsWith('DESCRIPTION:') && l.includes('Status: Inte påbörjad'))!;
    expect(description).toMatch(/\\nFormulär: http:\/\/[^\s]+\/svar\/[A-Za-z0-9_-]{43}$/);
    // The same feed for the signed-in session, and the UIDs are stable between fetches.
    const bySession = (await callLoader(calendarRoute.loader, '/min-organisation/kalender.ics', { headers: sthlm.headers })) as Response;
    expect(await bySession.text()).toBe(text);
  });

  it('UIDs carry the host of APP_URL, so two installations never share an event UID', async () => {
    const f = await threeRounds(t.db);
    const saved = process.env.APP_URL;
    process.env.APP_URL = 'https://enkatnav.myndighet.se';
    resetEnvForTests();
    try {
      const res = (await callLoader(calendarRoute.loader, `/min-organisation/kalender.ics?token=${feedToken(sthlm.user.id)}`)) as Response;
      const lines = (await res.text()).replace(/\r\n[ \t]/g, '').split('\r\n');
      expect(lines).toContain(`UID:assignment-${f.sthlmOj2019.id}@enkatnav.myndighet.se`);
      expect(lines.filter((l) => l.startsWith('UID:')).every((l) => l.endsWith('@enkatnav.myndighet.se'))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.APP_URL;
      else process.env.APP_URL = saved;
      resetEnvForTests();
    }
  });

  it('answers 404 to a wrong, foreign-shaped or stale feed token, and to no token without a session', async () => {
    await threeRounds(t.db);
    const good = feedToken(sthlm.user.id);
    const admin = await signedIn(t.db, 'admin');
    const flipped = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    const otherId = `${sthlm.user.id + 1}.${good.split('.')[1]}`;
    for (const token of [flipped, otherId, 'x', '', feedToken(admin.user.id), `${good}x`]) {
      const res = (await callLoader(calendarRoute.loader, `/min-organisation/kalender.ics?token=${encodeURIComponent(token)}`)) as Response;
      expect(res.status, token).toBe(404);
    }
    expect(((await callLoader(calendarRoute.loader, '/min-organisation/kalender.ics')) as Response).status).toBe(404);
    // Deactivating the user stops the feed.
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', sthlm.user.id).execute();
    expect(((await callLoader(calendarRoute.loader, `/min-organisation/kalender.ics?token=${good}`)) as Response).status).toBe(404);
  });
});
