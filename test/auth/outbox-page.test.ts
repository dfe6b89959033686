import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueMessage } from '~/models/mail/outbox.server';
import { action, loader } from '~/routes/admin.utkorg';
import { setDb } from '~/utils/db.server';
import { resetEnvForTests } from '~/utils/env.server';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';
import { signedIn, type TestSession } from './helpers';

describe('/admin/utkorg', () => {
  let t: TestDb;
  let admin: TestSession;
  const saved = { ...process.env };
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    admin = await signedIn(t.db, 'admin');
    await enqueueMessage(t.db, { to: 'a@kommun.se', subject: 'Din inloggningslänk', text: 'https://x/logga-in/SECRET', kind: 'signin', sensitive: true });
    const failed = await enqueueMessage(t.db, { to: 'b@kommun.se', subject: 'Påminnelse', text: 'Hej', kind: 'reminder' });
    await t.db.updateTable('outbox').set({ status: 'failed', attempts: 8, last_error: '550 Mailbox unavailable' }).where('id', '=', failed.id).execute();
  });
  afterEach(async () => {
    process.env = { ...saved };
    resetEnvForTests();
    await t.destroy();
  });

  it('lists status, attempts and last error, and hides message text outside demo and development', async () => {
    const data = await ((await callLoader(loader, '/admin/utkorg', { headers: admin.headers })) as Response).json();
    expect(data.counts).toEqual({ queued: 1, sending: 0, sent: 0, failed: 1 });
    expect(data.smtpConfigured).toBe(false);
    expect(data.messages.map((m: { kind: string; status: string; attempts: number; lastError: string | null; body: string | null }) => [m.kind, m.status, m.attempts, m.lastError, m.body])).toEqual([
      ['reminder', 'failed', 8, '550 Mailbox unavailable', null],
      ['signin', 'queued', 0, null, null],
    ]);
    const failedOnly = await ((await callLoader(loader, '/admin/utkorg?status=failed', { headers: admin.headers })) as Response).json();
    expect(failedOnly.messages).toHaveLength(1);
  });

  it('shows the full text, sign-in links included, in demo mode', async () => {
    process.env.ENKATNAV_DEMO = '1';
    resetEnvForTests();
    const data = await ((await callLoader(loader, '/admin/utkorg', { headers: admin.headers })) as Response).json();
    expect(data.messages.find((m: { kind: string }) => m.kind === 'signin').body).toBe('https://x/logga-in/SECRET');
  });

  it('requeues a failed message (CSRF-checked, audited)', async () => {
    const id = (await t.db.selectFrom('outbox').select('id').where('status', '=', 'failed').executeTakeFirstOrThrow()).id;
    const refused = (await callAction(action, '/admin/utkorg', { headers: admin.headers, form: { intent: 'requeue', id: String(id) } })) as Response;
    expect(refused.status).toBe(403);
    const res = (await callAction(action, '/admin/utkorg', { headers: admin.headers, form: { csrf: admin.csrf, intent: 'requeue', id: String(id) } })) as Response;
    expect(res.status).toBe(200);
    expect(await t.db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'queued', attempts: 0 });
    const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'outbox.requeue').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_user_id: admin.user.id, entity: 'outbox', entity_id: String(id) });
    const again = (await callAction(action, '/admin/utkorg', { headers: admin.headers, form: { csrf: admin.csrf, intent: 'requeue', id: String(id) } })) as Response;
    expect(again.status).toBe(409);
  });
});
