import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumeSignInToken, createUser, requestSignInLink, SIGNIN_TOKEN_MINUTES } from '~/models/auth/users.server';
import { action as signInAction, loader as signInLoader } from '~/routes/logga-in._index';
import { action as tokenAction, loader as tokenLoader } from '~/routes/logga-in.$token';
import { action as signOutAction } from '~/routes/logga-ut';
import { getUser, requireUser, safeRedirectPath } from '~/utils/auth.server';
import { csrfToken } from '~/utils/csrf.server';
import { setDb } from '~/utils/db.server';
import { resetEnvForTests } from '~/utils/env.server';
import { createSession, sha256 } from '~/utils/session.server';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction, callLoader } from '../helpers/request';

const ORIGIN = 'http://127.0.0.1';

/** A browser before sign-in: its CSRF cookie and the matching form token. */
function browser() {
  const cookie = `enkatnav_csrf=${randomBytes(24).toString('base64url')}`;
  return { cookie, csrf: csrfToken(new Request(ORIGIN, { headers: { Cookie: cookie } })), headers: { Cookie: cookie, Origin: ORIGIN } };
}

async function outboxLinks(t: TestDb): Promise<string[]> {
  const rows = await t.db.selectFrom('outbox').select('text_body').where('kind', '=', 'signin').orderBy('id').execute();
  return rows.map((r) => /https?:\/\/\S+\/logga-in\/[A-Za-z0-9_-]+/.exec(r.text_body)?.[0] ?? '');
}

describe('sign-in by e-mail link', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    await createUser(t.db, { email: 'Admin@Myndighet.se', role: 'admin', name: 'Anna Admin' });
  });
  afterEach(async () => t.destroy());

  it('answers the same for known and unknown addresses, and only mails the known one', async () => {
    const b = browser();
    const known = (await callAction(signInAction, '/logga-in', { headers: b.headers, form: { csrf: b.csrf, email: 'admin@myndighet.se' } })) as Response;
    const unknown = (await callAction(signInAction, '/logga-in', { headers: b.headers, form: { csrf: b.csrf, email: 'ingen@myndighet.se' } })) as Response;
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(await known.json()).toEqual(await unknown.json());
    const mails = await t.db.selectFrom('outbox').selectAll().execute();
    expect(mails.map((m) => [m.kind, m.to_address, m.sensitive])).toEqual([['signin', 'admin@myndighet.se', 1]]);
    expect(mails[0].text_body).toMatch(/gäller i 15 minuter/);
  });

  it('stores only a hash of the token, and GET does not use it up', async () => {
    const { link } = await requestSignInLink(t.db, { email: 'admin@myndighet.se', baseUrl: ORIGIN });
    const token = link!.split('/').pop()!;
    const stored = await t.db.selectFrom('login_tokens').selectAll().executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const b = browser();
    for (let i = 0; i < 3; i++) {
      const page = (await callLoader(tokenLoader, `/logga-in/${token}`, { params: { token }, headers: b.headers })) as Response;
      expect(page.status).toBe(200);
    }
    expect((await t.db.selectFrom('login_tokens').select('used_at').executeTakeFirstOrThrow()).used_at).toBeNull();

    const res = (await callAction(tokenAction, `/logga-in/${token}`, { params: { token }, headers: b.headers, form: { csrf: b.csrf } })) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/admin');
    const cookie = res.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/^enkatnav_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);

    const session = cookie.split(';')[0];
    const user = await getUser(new Request(`${ORIGIN}/admin`, { headers: { Cookie: session } }));
    expect(user?.email).toBe('admin@myndighet.se');
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.signin').execute();
    expect(audit).toHaveLength(1);
  });

  it('uses a token once only', async () => {
    const { link } = await requestSignInLink(t.db, { email: 'admin@myndighet.se', baseUrl: ORIGIN });
    const token = link!.split('/').pop()!;
    const b = browser();
    const first = (await callAction(tokenAction, `/logga-in/${token}`, { params: { token }, headers: b.headers, form: { csrf: b.csrf } })) as Response;
    const second = (await callAction(tokenAction, `/logga-in/${token}`, { params: { token }, headers: b.headers, form: { csrf: b.csrf } })) as Response;
    expect(first.status).toBe(302);
    expect(second.status).toBe(400);
    expect((await second.json()).error).toMatch(/redan ha använts/);
    // Two racing requests: exactly one wins.
    const again = await requestSignInLink(t.db, { email: 'admin@myndighet.se', baseUrl: ORIGIN });
    const racing = again.link!.split('/').pop()!;
    const results = await Promise.all([consumeSignInToken(t.db, racing), consumeSignInToken(t.db, racing)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('expires a token after 15 minutes', async () => {
    const start = new Date('2026-03-01T08:00:00Z');
    const a = await requestSignInLink(t.db, { email: 'admin@myndighet.se', baseUrl: ORIGIN }, start);
    const b = await requestSignInLink(t.db, { email: 'admin@myndighet.se', baseUrl: ORIGIN }, start);
    const justBefore = new Date(start.getTime() + SIGNIN_TOKEN_MINUTES * 60_000 - 1000);
    const justAfter = new Date(start.getTime() + SIGNIN_TOKEN_MINUTES * 60_000 + 1000);
    expect(await consumeSignInToken(t.db, a.link!.split('/').pop()!, justAfter)).toBeNull();
    expect(await consumeSignInToken(t.db, b.link!.split('/').pop()!, justBefore)).not.toBeNull();

    // And through the route, with the real clock: a token whose 15 minutes have passed is refused.
    const { link } = await requestSignInLink(t.db, { email: 'admin@myndighet.se', baseUrl: ORIGIN }, new Date(Date.now() - 16 * 60_000));
    const token = link!.split('/').pop()!;
    const br = browser();
    const res = (await callAction(tokenAction, `/logga-in/${token}`, { params: { token }, headers: br.headers, form: { csrf: br.csrf } })) as Response;
    expect(res.status).toBe(400);
  });

  it('returns to a local redirectTo only', async () => {
    const b = browser();
    await callAction(signInAction, '/logga-in', { headers: b.headers, form: { csrf: b.csrf, email: 'admin@myndighet.se', redirectTo: '/admin/utkorg?status=failed' } });
    await callAction(signInAction, '/logga-in', { headers: b.headers, form: { csrf: b.csrf, email: 'admin@myndighet.se', redirectTo: '//evil.example/x' } });
    const [good, evil] = (await outboxLinks(t)).map((l) => l.split('/').pop()!);
    const r1 = (await callAction(tokenAction, '/logga-in/x', { params: { token: good }, headers: b.headers, form: { csrf: b.csrf } })) as Response;
    const r2 = (await callAction(tokenAction, '/logga-in/x', { params: { token: evil }, headers: b.headers, form: { csrf: b.csrf } })) as Response;
    expect(r1.headers.get('Location')).toBe('/admin/utkorg?status=failed');
    expect(r2.headers.get('Location')).toBe('/admin');
    expect(safeRedirectPath('https://evil.example')).toBe('/');
    expect(safeRedirectPath('/\\evil.example')).toBe('/');
  });

  it('refuses an invalid address with a Swedish message and aria hooks', async () => {
    const b = browser();
    const res = (await callAction(signInAction, '/logga-in', { headers: b.headers, form: { csrf: b.csrf, email: 'inte-en-adress' } })) as Response;
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/giltig e-postadress/);
  });

  it('signs out with POST only, and the session stops working on every instance', async () => {
    const user = await t.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    const session = (await createSession(t.db, user.id)).split(';')[0];
    const b = browser();
    const headers = { Cookie: `${session}; ${b.cookie}`, Origin: ORIGIN };
    expect(await getUser(new Request(ORIGIN, { headers }))).not.toBeNull();
    const res = (await callAction(signOutAction, '/logga-ut', { headers, form: { csrf: b.csrf } })) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get('Set-Cookie')).toMatch(/^enkatnav_session=; .*Max-Age=0/);
    expect(await getUser(new Request(ORIGIN, { headers }))).toBeNull();
    expect(await t.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
  });

  it('redirects to the sign-in page when not signed in, and refuses the wrong role with a Swedish 403', async () => {
    const thrown = await requireUser(new Request(`${ORIGIN}/admin/utkorg?status=queued`), ['admin']).catch((e) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect(thrown.status).toBe(302);
    expect(thrown.headers.get('Location')).toBe('/logga-in?redirectTo=%2Fadmin%2Futkorg%3Fstatus%3Dqueued');

    const evaluator = await createUser(t.db, { email: 'eva@myndighet.se', role: 'evaluator' });
    const session = (await createSession(t.db, evaluator.id)).split(';')[0];
    const denied = await requireUser(new Request(`${ORIGIN}/admin`, { headers: { Cookie: session } }), ['admin']).catch((e) => e);
    expect(denied.status).toBe(403);
    expect(await denied.text()).toMatch(/behörighet/);
  });

  it('does not accept a session of a deactivated user', async () => {
    const user = await t.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    const session = (await createSession(t.db, user.id)).split(';')[0];
    await t.db.updateTable('users').set({ active: 0 }).execute();
    expect(await getUser(new Request(ORIGIN, { headers: { Cookie: session } }))).toBeNull();
  });
});

describe('cookies and demo mode', () => {
  let t: TestDb;
  const saved = { ...process.env };
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    await createUser(t.db, { email: 'admin@demo.enkatnav.se', role: 'admin' });
  });
  afterEach(async () => {
    process.env = { ...saved };
    resetEnvForTests();
    await t.destroy();
  });

  it('marks cookies Secure in production, but not in demo mode or on http://127.0.0.1', async () => {
    const user = await t.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    Object.assign(process.env, { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), APP_URL: 'https://enkatnav.example.se' });
    resetEnvForTests();
    expect(await createSession(t.db, user.id)).toMatch(/; HttpOnly; SameSite=Lax; .*; Secure$/);
    process.env.APP_URL = 'http://127.0.0.1:3000';
    resetEnvForTests();
    expect(await createSession(t.db, user.id)).not.toMatch(/Secure/);
    Object.assign(process.env, { APP_URL: 'https://enkatnav.example.se', ENKATNAV_DEMO: '1' });
    resetEnvForTests();
    expect(await createSession(t.db, user.id)).not.toMatch(/Secure/);
  });

  it('shows the sign-in link on the page in demo mode only', async () => {
    const b = browser();
    const plain = (await callAction(signInAction, '/logga-in', { headers: b.headers, form: { csrf: b.csrf, email: 'admin@demo.enkatnav.se' } })) as Response;
    expect((await plain.json()).demo).toBeNull();
    process.env.ENKATNAV_DEMO = '1';
    resetEnvForTests();
    const demo = (await callAction(signInAction, '/logga-in', { headers: b.headers, form: { csrf: b.csrf, email: 'admin@demo.enkatnav.se' } })) as Response;
    const data = await demo.json();
    expect(data.demo.link).toMatch(/^http:\/\/127\.0\.0\.1\/logga-in\/[A-Za-z0-9_-]{43}$/);
    expect((await outboxLinks(t)).at(-1)).toBe(data.demo.link);
    expect(data.demo.note).toMatch(/SMTP_URL saknas\), så inget e-postmeddelande skickas/);
  });

  it('says in demo mode that the link is e-mailed too when SMTP_URL is set', async () => {
    Object.assign(process.env, { ENKATNAV_DEMO: '1', SMTP_URL: 'smtp://127.0.0.1:2525' });
    resetEnvForTests();
    const b = browser();
    const res = (await callAction(signInAction, '/logga-in', { headers: b.headers, form: { csrf: b.csrf, email: 'admin@demo.enkatnav.se' } })) as Response;
    const { demo } = await res.json();
    expect(demo.note).toMatch(/länken skickas också med e-post/);
    expect(demo.note).not.toMatch(/inget e-postmeddelande skickas/);
  });

  it('the sign-in page loader gives a CSRF token', async () => {
    const b = browser();
    const res = (await callLoader(signInLoader, '/logga-in?redirectTo=/admin', { headers: b.headers })) as Response;
    const data = await res.json();
    expect(data.csrf).toBe(b.csrf);
    expect(data.redirectTo).toBe('/admin');
  });
});
