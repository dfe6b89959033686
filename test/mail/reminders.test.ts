import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendInvitations } from '~/models/rounds/invitations.server';
import { runDueJobs } from '~/models/ops/jobs.server';
import { smtpMailer, type Mailer } from '~/models/mail/mailer.server';
import { dueStep, remindRound } from '~/models/rounds/reminders.server';
import { accessLink, createRound } from '~/models/rounds/rounds.server';
import { freshDb, type TestDb } from '../helpers/db';
import { startSmtp, type TestSmtp } from './smtp-helper';

const DAY = 86_400_000;
const CLOSES = '2019-03-15T22:59:59.000Z';
const at = (daysFromDeadline: number, extraMs = 3_600_000) => new Date(Date.parse(CLOSES) + daysFromDeadline * DAY + extraMs);

/** A round of ÖJ 2019 for five kommuner in Gotland/Kalmar, two contacts each for the first four. */
async function setupRound(db: TestDb['db']) {
  const orgs = await db.selectFrom('organisations').select(['id', 'code', 'name']).where('kind', '=', 'kommun').where('lan_code', '=', '08').orderBy('code').limit(5).execute();
  const now = new Date().toISOString();
  for (const [i, o] of orgs.slice(0, 4).entries()) {
    await db
      .insertInto('contacts')
      .values([
        { organisation_id: o.id, name: `Chef ${i}`, email: `chef${i}@${o.code}.kommun.se`, role: 'socialchef', created_at: now, updated_at: now },
        { organisation_id: o.id, name: `Samordnare ${i}`, email: `samordnare${i}@${o.code}.kommun.se`, role: null, created_at: now, updated_at: now },
      ])
      .execute();
  }
  const { round, assignments } = await createRound(db, {
    surveyId: 'oj-vinr-2019',
    title: 'ÖJ 2019',
    opensAt: '2019-01-23T00:00:00.000Z',
    closesAt: CLOSES,
    organisationIds: orgs.map((o) => o.id),
  });
  return { round, orgs, assignments };
}

describe('reminders and invitations through a real SMTP server', () => {
  let t: TestDb;
  let smtp: TestSmtp;
  let mailer: Mailer;
  beforeEach(async () => {
    t = await freshDb();
    smtp = await startSmtp();
    mailer = smtpMailer(smtp.url, 'Enkätnav <noreply@test.enkatnav.se>');
  });
  afterEach(async () => {
    mailer.close();
    await smtp.close();
    await t.destroy();
  });

  it('invites every assignment once, with organisation, survey, deadline and personal link', async () => {
    const { round, orgs } = await setupRound(t.db);
    const first = await sendInvitations(t.db, round.id, at(-50));
    expect(first).toMatchObject({ enqueued: 4, alreadySent: 0 });
    expect(first.noRecipient).toHaveLength(1); // the fifth kommun has no contacts
    expect(await sendInvitations(t.db, round.id, at(-50))).toMatchObject({ enqueued: 0, alreadySent: 4 });

    await runDueJobs(t.db, at(-50), { mailer });
    expect(smtp.received).toHaveLength(4);
    const mail = smtp.received.find((m) => m.to.includes(`chef0@${orgs[0].code}.kommun.se`))!;
    expect(mail.to).toEqual([`chef0@${orgs[0].code}.kommun.se`, `samordnare0@${orgs[0].code}.kommun.se`]);
    expect(mail.subject).toBe('Inbjudan: ÖJ 2019 – svara senast 15 mars 2019');
    expect(mail.text).toContain(`${orgs[0].name} är inbjuden att besvara`);
    expect(mail.text).toContain('Öppna jämförelser');
    const assignment = await t.db.selectFrom('assignments').selectAll().where('organisation_id', '=', orgs[0].id).executeTakeFirstOrThrow();
    expect(mail.text).toContain(accessLink(assignment));
  });

  it('sends reminders to the missing only, once per step, and each step when it is due', async () => {
    const { orgs } = await setupRound(t.db);
    // Kommun 1 has submitted, kommun 2 is a draft, kommun 0 and 3 have not started.
    await t.db.updateTable('assignments').set({ status: 'submitted' }).where('organisation_id', '=', orgs[1].id).execute();
    await t.db.updateTable('assignments').set({ status: 'draft' }).where('organisation_id', '=', orgs[2].id).execute();

    const before = await runDueJobs(t.db, at(-15), { mailer });
    expect(before.reminders.enqueued).toBe(0);
    expect(smtp.received).toHaveLength(0);

    const step1 = await runDueJobs(t.db, at(-14), { mailer });
    expect(step1.reminders.enqueued).toBe(3);
    expect(step1.delivery).toEqual({ sent: 3, retrying: 0, failed: 0 });
    const recipients = smtp.received.map((m) => m.to[0]).sort();
    expect(recipients).toEqual([0, 2, 3].map((i) => `chef${i}@${orgs[i].code}.kommun.se`).sort());
    expect(smtp.received.every((m) => m.subject === 'Påminnelse: ÖJ 2019 – svara senast 15 mars 2019')).toBe(true);

    // The same step again (a second run, or a second instance): nothing new.
    const again = await runDueJobs(t.db, at(-14, 7_200_000), { mailer });
    expect(again.reminders).toMatchObject({ enqueued: 0, alreadySent: 3 });
    expect(smtp.received).toHaveLength(3);

    // Kommun 2 submits before the next step; the -3 step goes to 0 and 3 only.
    await t.db.updateTable('assignments').set({ status: 'submitted' }).where('organisation_id', '=', orgs[2].id).execute();
    await runDueJobs(t.db, at(-3), { mailer });
    expect(smtp.received.slice(3).map((m) => m.to[0]).sort()).toEqual([0, 3].map((i) => `chef${i}@${orgs[i].code}.kommun.se`).sort());

    // After the deadline, the text says so.
    await runDueJobs(t.db, at(2), { mailer });
    expect(smtp.received).toHaveLength(7);
    expect(smtp.received.at(-1)!.subject).toBe('Påminnelse: ÖJ 2019 – sista svarsdagen har passerat');
    await runDueJobs(t.db, at(30), { mailer });
    expect(smtp.received).toHaveLength(7);

    const keys = (await t.db.selectFrom('outbox').select('dedupe_key').where('kind', '=', 'reminder').execute()).map((r) => r.dedupe_key!.replace(/^reminder:\d+:/, ''));
    expect(keys.sort()).toEqual(['-14', '-14', '-14', '-3', '-3', '2', '2']);
  });

  it('follows per-organisation extensions and skips closed rounds', async () => {
    const { round, orgs } = await setupRound(t.db);
    await t.db.updateTable('assignments').set({ extended_until: new Date(Date.parse(CLOSES) + 10 * DAY).toISOString() }).where('organisation_id', '=', orgs[0].id).execute();
    await runDueJobs(t.db, at(-3), { mailer });
    // Kommun 0's deadline is ten days later, so its -3 step is not due; its -14 step is the latest due one.
    const keys = (await t.db.selectFrom('outbox').select(['assignment_id', 'dedupe_key']).execute()).map((r) => r.dedupe_key);
    expect(keys.filter((k) => k!.endsWith(':-14'))).toHaveLength(1);
    expect(keys.filter((k) => k!.endsWith(':-3'))).toHaveLength(3);

    await t.db.updateTable('rounds').set({ closed_at: at(-2).toISOString() }).where('id', '=', round.id).execute();
    const afterClose = await runDueJobs(t.db, at(2), { mailer });
    expect(afterClose.reminders.enqueued).toBe(0);
  });

  it('a round created late sends only the latest due step, not every old one', () => {
    expect(dueStep([-14, -3, 2], CLOSES, '2019-01-01T00:00:00Z', at(-2))).toBe(-3);
    expect(dueStep([-14, -3, 2], CLOSES, at(-5).toISOString(), at(-4))).toBeNull();
    expect(dueStep([-14, -3, 2], CLOSES, '2019-01-01T00:00:00Z', at(-20))).toBeNull();
  });

  it('manual reminders: dry run sends nothing; at most one per assignment and day', async () => {
    const { round, orgs } = await setupRound(t.db);
    await t.db.updateTable('assignments').set({ status: 'submitted' }).where('organisation_id', '=', orgs[1].id).execute();
    const dry = await remindRound(t.db, round.id, { dryRun: true, now: at(-20) });
    expect(dry.targets).toHaveLength(4);
    expect(dry.noRecipient).toHaveLength(1);
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0);
    expect((await remindRound(t.db, round.id, { now: at(-20) })).enqueued).toBe(3);
    expect((await remindRound(t.db, round.id, { now: at(-20, 3_700_000) })).enqueued).toBe(0);
    expect((await remindRound(t.db, round.id, { now: at(-19) })).enqueued).toBe(3);
  });
});
