import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { smtpMailer, type Mailer } from '~/models/mail/mailer.server';
import { runDueJobs } from '~/models/ops/jobs.server';
import { updateLedgerRow } from '../../app/models/grants/ledger-write.server';
import { setRequestReminderDays } from '../../app/models/grants/programs.server';
import { answerOffer } from '../../app/models/grants/rekvisition.server';
import * as yearPage from '~/routes/admin.medel.$yearId._index';
import { setDb } from '~/utils/db.server';
import { signedIn } from '../auth/helpers';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction } from '../helpers/request';
import { startSmtp, type TestSmtp } from '../mail/smtp-helper';
import { kommunYear2018, ledgerIdOf, orgIdOf } from './fixtures';

/** The automatic rekvisition reminder of the job loop, through a real SMTP server on 127.0.0.1, with a fixed clock. */
describe('the scheduled rekvisition reminder', () => {
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

  it('reminds each recipient that has not answered once, N days before its deadline (default 7), and follows an extension and the setting', async () => {
    // Rekvisition closes 31 March 2019; only 0114, 0115, 0117 and 0120 have contacts.
    const { year } = await kommunYear2018(t.db, { requestDeadline: '2019-03-31T21:59:59Z' });
    expect(year.request_reminder_days).toBe(7);
    const now = new Date().toISOString();
    for (const code of ['0114', '0115', '0117', '0120']) {
      await t.db.insertInto('contacts').values({ organisation_id: await orgIdOf(t.db, code), name: `Chef ${code}`, email: `chef@${code}.kommun.se`, role: 'socialchef', created_at: now, updated_at: now }).execute();
    }
    const ledger = async (code: string) => ledgerIdOf(t.db, year.id, code);
    await answerOffer(t.db, { ledgerId: await ledger('0114'), organisationId: await orgIdOf(t.db, '0114'), userId: null as unknown as number, email: 'e@k.se', name: 'Eva Ek', role: 'Socialchef', decision: 'request' }, new Date('2019-03-01T10:00:00Z'));
    await answerOffer(t.db, { ledgerId: await ledger('0120'), organisationId: await orgIdOf(t.db, '0120'), userId: null as unknown as number, email: 'e@k.se', name: 'Eva Ek', role: 'Socialchef', decision: 'decline' }, new Date('2019-03-01T10:00:00Z'));
    await updateLedgerRow(t.db, await ledger('0117'), { request_extended_until: '2019-04-30T21:59:59Z' }, 'Nämnden sammanträder i april', null);
    const run = async (iso: string) => (await runDueJobs(t.db, new Date(iso), { mailer })).grantReminders;
    const reminded = () => smtp.received.filter((m) => m.subject.startsWith('Påminnelse: rekvirera')).map((m) => m.to.join(','));

    expect(await run('2019-03-24T12:00:00Z')).toMatchObject({ enqueued: 0 });
    expect(reminded()).toEqual([]);
    // 25 March is within 7 days of the deadline: 0115 (no answer, no extension) is reminded;
    // the 286 kommuner without contacts are counted; 0114 requested, 0120 declined, 0117 has until 30 April.
    expect(await run('2019-03-25T08:00:00Z')).toEqual({ years: 1, enqueued: 1, noAddress: 286 });
    expect(reminded()).toEqual(['chef@0115.kommun.se']);
    const mail = smtp.received.find((m) => m.to.includes('chef@0115.kommun.se'))!;
    expect(mail.subject).toBe('Påminnelse: rekvirera Utvecklingsmedel mot våld i nära relationer 2018 senast 31 mars 2019');
    expect(mail.text).toMatch(/\/min-organisation/);
    // Every later pass finds it sent.
    for (const iso of ['2019-03-25T08:01:00Z', '2019-03-28T08:00:00Z', '2019-03-31T20:00:00Z', '2019-04-05T08:00:00Z']) expect(await run(iso)).toMatchObject({ enqueued: 0 });
    expect(reminded()).toEqual(['chef@0115.kommun.se']);

    // Turned off: the extension's date passes without a reminder.
    await setRequestReminderDays(t.db, year.id, null, null);
    expect(await run('2019-04-24T08:00:00Z')).toEqual({ years: 0, enqueued: 0, noAddress: 0 });
    // 3 days: 0117's reminder is due on 27 April, once.
    await setRequestReminderDays(t.db, year.id, 3, null);
    expect(await run('2019-04-26T08:00:00Z')).toMatchObject({ enqueued: 0 });
    expect(await run('2019-04-28T08:00:00Z')).toMatchObject({ enqueued: 1 });
    expect(await run('2019-04-29T08:00:00Z')).toMatchObject({ enqueued: 0 });
    expect(reminded()).toEqual(['chef@0115.kommun.se', 'chef@0117.kommun.se']);
    expect(smtp.received.find((m) => m.to.includes('chef@0117.kommun.se'))!.subject).toMatch(/senast 30 april 2019$/);
    await expect(setRequestReminderDays(t.db, year.id, 0, null)).rejects.toThrow(/1–90 days/);
    const audit = await t.db.selectFrom('audit_log').select('after').where('action', '=', 'grant.year.reminder').execute();
    expect(audit.map((a) => JSON.parse(a.after!))).toEqual([{ request_reminder_days: null }, { request_reminder_days: 3 }]);
  });

  it('the year page sets the number of days, or none; a bad number gets a Swedish message and changes nothing', async () => {
    setDb(t.db);
    const admin = await signedIn(t.db, 'admin');
    const { year } = await kommunYear2018(t.db);
    const post = async (days: string) => {
      const res = await callAction(yearPage.action, `/admin/medel/${year.id}`, { params: { yearId: String(year.id) }, headers: admin.headers, form: { csrf: admin.csrf, intent: 'reminder-days', requestReminderDays: days } });
      return res instanceof Response ? { status: res.status, ...(await res.json()) } : { status: 200, ...(res as object) };
    };
    const stored = async () => (await t.db.selectFrom('grant_years').select('request_reminder_days').where('id', '=', year.id).executeTakeFirstOrThrow()).request_reminder_days;
    expect(await post('14')).toMatchObject({ status: 200, ok: true, message: 'Påminnelsen skickas automatiskt 14 dagar före sista dag för rekvisition.' });
    expect(await stored()).toBe(14);
    expect(await post('0')).toMatchObject({ status: 400, message: 'Påminnelsen ska skickas 1–90 dagar före sista dag, eller inte alls.' });
    expect(await post('sju')).toMatchObject({ status: 400, message: 'Ange antal dagar (1–90), eller lämna tomt.' });
    expect(await stored()).toBe(14);
    expect(await post('')).toMatchObject({ status: 200, message: 'Ingen automatisk påminnelse skickas.' });
    expect(await stored()).toBeNull();
  });
});
