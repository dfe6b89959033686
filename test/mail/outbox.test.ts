import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/dialect';
import { smtpMailer } from '~/models/mail/mailer.server';
import { backoffMs, claimDueMessages, deliverDueMessages, enqueueMessage, MAX_ATTEMPTS, requeueMessage } from '~/models/mail/outbox.server';
import { freePort } from '../e2e/harness';
import { freshDb, type TestDb } from '../helpers/db';
import { startSmtp, type TestSmtp } from './smtp-helper';

const T0 = new Date('2026-03-02T08:00:00.000Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);

describe('outbox delivery', () => {
  let t: TestDb;
  let smtp: TestSmtp;
  beforeEach(async () => {
    t = await freshDb({ file: true });
    smtp = await startSmtp();
  });
  afterEach(async () => {
    await smtp.close();
    await t.destroy();
  });

  const row = (id: number) => t.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('keeps at most one message per dedupe key', async () => {
    const a = await enqueueMessage(t.db, { to: 'a@kommun.se', subject: 's', text: 't', kind: 'reminder', dedupeKey: 'reminder:1:-3' }, T0);
    const b = await enqueueMessage(t.db, { to: 'a@kommun.se', subject: 's2', text: 't2', kind: 'reminder', dedupeKey: 'reminder:1:-3' }, T0);
    const c = await enqueueMessage(t.db, { to: ['x@kommun.se', ' y@kommun.se '], subject: 's', text: 't', kind: 'receipt' }, T0);
    const d = await enqueueMessage(t.db, { to: 'x@kommun.se', subject: 's', text: 't', kind: 'receipt' }, T0);
    expect(a).toEqual({ id: a.id, created: true });
    expect(b).toEqual({ id: a.id, created: false });
    expect(c.created && d.created && c.id !== d.id).toBe(true);
    expect((await row(c.id)).to_address).toBe('x@kommun.se, y@kommun.se');
    expect((await row(a.id)).subject).toBe('s');
  });

  it('retries with exponential backoff while the SMTP server refuses (4xx, then 5xx), and succeeds when it accepts', async () => {
    const mailer = smtpMailer(smtp.url, 'noreply@test.se');
    const { id } = await enqueueMessage(t.db, { to: 'a@kommun.se', subject: 'Påminnelse', text: 'Hej', kind: 'reminder' }, T0);

    smtp.setMode('temporary-failure');
    expect(await deliverDueMessages(t.db, mailer, { now: T0 })).toEqual({ sent: 0, retrying: 1, failed: 0 });
    let m = await row(id);
    expect(m).toMatchObject({ status: 'queued', attempts: 1, next_attempt_at: plus(60_000).toISOString() });
    expect(m.last_error).toMatch(/451/);

    // Not due yet: nothing is tried before the backoff has passed.
    expect(await deliverDueMessages(t.db, mailer, { now: plus(59_000) })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.refused()).toBe(1);

    smtp.setMode('permanent-failure');
    await deliverDueMessages(t.db, mailer, { now: plus(60_000) });
    m = await row(id);
    expect(m).toMatchObject({ status: 'queued', attempts: 2, next_attempt_at: plus(60_000 + 120_000).toISOString() });
    expect(m.last_error).toMatch(/550/);

    smtp.setMode('accept');
    expect(await deliverDueMessages(t.db, mailer, { now: plus(180_000) })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    m = await row(id);
    expect(m).toMatchObject({ status: 'sent', attempts: 3, last_error: null, locked_until: null, sent_at: plus(180_000).toISOString() });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].subject).toBe('Påminnelse');
    mailer.close();
  });

  it('retries when the SMTP server is down (closed port), then delivers when it is up', async () => {
    const port = await freePort();
    const down = smtpMailer(`smtp://127.0.0.1:${port}`, 'noreply@test.se');
    const { id } = await enqueueMessage(t.db, { to: 'a@kommun.se', subject: 's', text: 't', kind: 'invitation' }, T0);
    expect(await deliverDueMessages(t.db, down, { now: T0 })).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect((await row(id)).last_error).toMatch(/ECONNREFUSED|connect/i);
    const up = smtpMailer(smtp.url, 'noreply@test.se');
    expect(await deliverDueMessages(t.db, up, { now: plus(backoffMs(1)) })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    down.close();
    up.close();
  });

  it('gives up after the last attempt, and an administrator can requeue', async () => {
    const mailer = smtpMailer(smtp.url, 'noreply@test.se');
    smtp.setMode('permanent-failure');
    const { id } = await enqueueMessage(t.db, { to: 'a@kommun.se', subject: 's', text: 't', kind: 'invitation' }, T0);
    let now = T0.getTime();
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      await deliverDueMessages(t.db, mailer, { now: new Date(now) });
      now += backoffMs(i);
    }
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(await deliverDueMessages(t.db, mailer, { now: new Date(now + 86_400_000) })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await requeueMessage(t.db, id, new Date(now))).toBe(true);
    smtp.setMode('accept');
    expect((await deliverDueMessages(t.db, mailer, { now: new Date(now) })).sent).toBe(1);
    mailer.close();
  });

  it('erases the body of a sign-in message once it is sent', async () => {
    const mailer = smtpMailer(smtp.url, 'noreply@test.se');
    const { id } = await enqueueMessage(t.db, { to: 'a@kommun.se', subject: 'Inloggning', text: 'https://x/logga-in/SECRET', kind: 'signin', sensitive: true }, T0);
    await deliverDueMessages(t.db, mailer, { now: T0 });
    expect(smtp.received[0].text).toContain('https://x/logga-in/SECRET');
    expect((await row(id)).text_body).not.toContain('SECRET');
    mailer.close();
  });

  it('takes over a message whose worker died after its lock expired', async () => {
    const { id } = await enqueueMessage(t.db, { to: 'a@kommun.se', subject: 's', text: 't', kind: 'invitation' }, T0);
    expect(await claimDueMessages(t.db, 'dead-worker', T0)).toHaveLength(1);
    expect(await claimDueMessages(t.db, 'other', plus(60_000))).toHaveLength(0);
    const taken = await claimDueMessages(t.db, 'other', plus(6 * 60_000));
    expect(taken.map((m) => [m.id, m.locked_by, m.attempts])).toEqual([[id, 'other', 2]]);
  });

  it('two workers on two connections claiming at once never send the same message twice', async () => {
    const N = 60;
    for (let i = 0; i < N; i++) await enqueueMessage(t.db, { to: `m${i}@kommun.se`, subject: `Meddelande ${i}`, text: 't', kind: 'invitation' }, T0);
    const second = createDb(t.dialect === 'postgres' ? { dialect: 'postgres', location: t.url } : { dialect: 'sqlite', location: t.url.slice('file:'.length) });
    const mailers = [smtpMailer(smtp.url, 'a@test.se'), smtpMailer(smtp.url, 'b@test.se')];
    try {
      const reports = await Promise.all([
        deliverDueMessages(t.db, mailers[0], { now: T0, workerId: 'w1', batch: 5 }),
        deliverDueMessages(second, mailers[1], { now: T0, workerId: 'w2', batch: 5 }),
      ]);
      expect(reports[0].sent + reports[1].sent).toBe(N);
      // Both did part of the work (each claims a batch, then sends while the other claims).
      expect(reports[0].sent).toBeGreaterThan(0);
      expect(reports[1].sent).toBeGreaterThan(0);
      const subjects = smtp.received.map((m) => m.subject).sort();
      expect(subjects).toHaveLength(N);
      expect(new Set(subjects).size).toBe(N);
      const statuses = await t.db.selectFrom('outbox').select('status').where('status', '<>', 'sent').execute();
      expect(statuses).toEqual([]);
      const byWorker = await t.db.selectFrom('outbox').select('locked_by').select((eb) => eb.fn.countAll<number>().as('n')).groupBy('locked_by').orderBy('locked_by').execute();
      expect(byWorker.map((r) => [r.locked_by, Number(r.n)])).toEqual([
        ['w1', reports[0].sent],
        ['w2', reports[1].sent],
      ]);
    } finally {
      mailers.forEach((m) => m.close());
      await second.destroy();
    }
  });
});
