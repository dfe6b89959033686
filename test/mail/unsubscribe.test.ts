import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestSignInLink, createUser } from '~/models/auth/users.server';
import { smtpMailer, type Mailer } from '~/models/mail/mailer.server';
import { deliverDueMessages } from '~/models/mail/outbox.server';
import { runDueJobs } from '~/models/ops/jobs.server';
import { sendInvitations } from '~/models/rounds/invitations.server';
import { remindRound } from '~/models/rounds/reminders.server';
import { createRound } from '~/models/rounds/rounds.server';
import { unsubscribeToken } from '~/models/rounds/unsubscribe.server';
import { action as unsubscribeAction, loader as unsubscribeLoader } from '~/routes/avregistrera.$token';
import { setDb } from '~/utils/db.server';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';
import { mailHeader, startSmtp, type TestSmtp } from './smtp-helper';

const DAY = 86_400_000;
const CLOSES = '2019-03-15T22:59:59.000Z';
const at = (daysFromDeadline: number) => new Date(Date.parse(CLOSES) + daysFromDeadline * DAY + 3_600_000);

async function setupRound(db: TestDb['db']) {
  const orgs = await db.selectFrom('organisations').select(['id', 'code', 'name']).where('kind', '=', 'kommun').orderBy('code').limit(3).execute();
  const now = new Date().toISOString();
  await db
    .insertInto('contacts')
    .values(orgs.map((o) => ({ organisation_id: o.id, name: `Chef ${o.code}`, email: `chef@${o.code}.kommun.se`, role: null, created_at: now, updated_at: now })))
    .execute();
  const { round } = await createRound(db, { surveyId: 'oj-vinr-2019', title: 'ÖJ 2019', opensAt: '2019-01-23T00:00:00.000Z', closesAt: CLOSES, organisationIds: orgs.map((o) => o.id) });
  return { round, orgs };
}

/** The https/http URL inside `List-Unsubscribe: <…>`, as a path the route tests can call. */
const unsubscribePath = (raw: string) => new URL(/^<(https?:\/\/[^>]+)>$/.exec(mailHeader(raw, 'List-Unsubscribe') ?? '')![1]).pathname;

describe('automated-mail headers and one-click unsubscribe, through a real SMTP server', () => {
  let t: TestDb;
  let smtp: TestSmtp;
  let mailer: Mailer;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    smtp = await startSmtp();
    mailer = smtpMailer(smtp.url, 'Enkätnav <noreply@test.enkatnav.se>');
  });
  afterEach(async () => {
    mailer.close();
    await smtp.close();
    await t.destroy();
  });

  it('marks every message Auto-Submitted; invitations and reminders carry List-Unsubscribe with one-click', async () => {
    const { round } = await setupRound(t.db);
    await createUser(t.db, { email: 'admin@myndighet.se', role: 'admin' });
    await requestSignInLink(t.db, { email: 'admin@myndighet.se', baseUrl: 'http://127.0.0.1' });
    await sendInvitations(t.db, round.id, at(-50));
    await remindRound(t.db, round.id, { now: at(-40) });
    await deliverDueMessages(t.db, mailer, { now: at(-40) });
    await deliverDueMessages(t.db, mailer); // the sign-in message is queued at today's date
    expect(smtp.received).toHaveLength(7);
    for (const mail of smtp.received) expect(mailHeader(mail.raw, 'Auto-Submitted')).toBe('auto-generated');
    const signIn = smtp.received.filter((m) => /inloggningslänk/.test(m.subject));
    expect(signIn).toHaveLength(1);
    expect(mailHeader(signIn[0].raw, 'List-Unsubscribe')).toBeUndefined();
    expect(signIn[0].text).not.toMatch(/avregistrera/i);
    expect(signIn[0].html).not.toMatch(/avregistrera/i);
    const roundMail = smtp.received.filter((m) => m !== signIn[0]);
    expect(roundMail.filter((m) => /^Inbjudan/.test(m.subject))).toHaveLength(3);
    expect(roundMail.filter((m) => /^Påminnelse/.test(m.subject))).toHaveLength(3);
    for (const mail of roundMail) {
      expect(mailHeader(mail.raw, 'List-Unsubscribe')).toMatch(/^<http:\/\/localhost:\d+\/avregistrera\/\d+\.[A-Za-z0-9_-]{43}>$/);
      expect(mailHeader(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      // The body names the very same link, in Swedish, at the end (before the signature).
      const url = /^<([^>]+)>$/.exec(mailHeader(mail.raw, 'List-Unsubscribe')!)![1];
      const text = mail.text.replace(/\r\n/g, '\n').replace(/\n-- \nEnkätnav\s*$/, '').trimEnd();
      expect(text.split('\n\n').pop()).toBe(`Vill du inte få fler påminnelser om den här omgången? Avregistrera dig här: ${url}`);
      expect(mail.html).toContain(`Avregistrera dig här: <a href="${url}">${url}</a>`);
    }
  });

  it('the link shows a Swedish confirmation page, and one-click POST stops that assignment’s reminders only', async () => {
    const { round, orgs } = await setupRound(t.db);
    await sendInvitations(t.db, round.id, at(-50));
    await deliverDueMessages(t.db, mailer, { now: at(-50) });
    const invitation = smtp.received.find((m) => m.to[0] === `chef@${orgs[0].code}.kommun.se`)!;
    const path = unsubscribePath(invitation.raw);
    const token = path.split('/').pop()!;

    // GET (a scanner, or the person) only shows the page.
    const page = (await callLoader(unsubscribeLoader, path, { params: { token } })) as Response;
    expect(page.status).toBe(200);
    const shown = await page.json();
    expect(shown.target).toMatchObject({ recipientName: orgs[0].name, roundTitle: 'ÖJ 2019', optedOutAt: null });
    expect((await t.db.selectFrom('assignments').select('reminders_opted_out_at').where('organisation_id', '=', orgs[0].id).executeTakeFirstOrThrow()).reminders_opted_out_at).toBeNull();

    // What a mail provider sends for RFC 8058 one-click: no cookie, no CSRF token.
    const clicked = (await callAction(unsubscribeAction, path, {
      params: { token },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })) as Response;
    expect(clicked.status).toBe(200);
    expect((await clicked.json()).target.optedOutAt).toEqual(expect.any(String));
    // A second click changes nothing and still answers 200.
    expect(((await callAction(unsubscribeAction, path, { params: { token } })) as Response).status).toBe(200);

    const run = await runDueJobs(t.db, at(-14), { mailer });
    expect(run.reminders).toMatchObject({ enqueued: 2, optedOut: 1 });
    const reminded = smtp.received.slice(3).map((m) => m.to[0]).sort();
    expect(reminded).toEqual(orgs.slice(1).map((o) => `chef@${o.code}.kommun.se`).sort());
    const manual = await remindRound(t.db, round.id, { now: at(-10), dryRun: true });
    expect(manual.targets.map((x) => x.recipientName).sort()).toEqual(orgs.slice(1).map((o) => o.name).sort());
    expect(manual.optedOut).toBe(1);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'assignment.reminders-opt-out').execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses forged or malformed tokens with a Swedish 404 and changes nothing', async () => {
    const { round } = await setupRound(t.db);
    const assignment = await t.db.selectFrom('assignments').select('id').where('round_id', '=', round.id).orderBy('id').executeTakeFirstOrThrow();
    const good = unsubscribeToken(assignment.id);
    const forged = `${assignment.id + 1}.${good.split('.')[1]}`;
    for (const token of [forged, 'x', `${assignment.id}.${'A'.repeat(43)}`, '9'.repeat(200)]) {
      const page = (await callLoader(unsubscribeLoader, `/avregistrera/${token}`, { params: { token } })) as Response;
      expect(page.status).toBe(404);
      expect(await page.text()).toMatch(/Länken för att avsluta påminnelser fungerar inte/);
      const post = (await callAction(unsubscribeAction, `/avregistrera/${token}`, { params: { token } })) as Response;
      expect(post.status).toBe(404);
    }
    const opted = await t.db.selectFrom('assignments').select('id').where('reminders_opted_out_at', 'is not', null).execute();
    expect(opted).toHaveLength(0);
  });
});
