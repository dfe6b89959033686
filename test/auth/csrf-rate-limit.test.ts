import { randomBytes } from 'node:crypto';
import type { ActionFunctionArgs } from '@remix-run/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser, requestSignInLink } from '~/models/auth/users.server';
import { action as signInAction } from '~/routes/logga-in._index';
import { action as tokenAction } from '~/routes/logga-in.$token';
import { action as signOutAction } from '~/routes/logga-ut';
import { assertCsrf, csrfToken, issueCsrfCookie } from '~/utils/csrf.server';
import { setDb } from '~/utils/db.server';
import { checkRateLimit, hitRateLimit } from '~/utils/rate-limit.server';
import { freshDb, type TestDb } from '../helpers/db';
import { callAction } from '../helpers/request';

const ORIGIN = 'http://127.0.0.1';

function browser() {
  const cookie = `enkatnav_csrf=${randomBytes(24).toString('base64url')}`;
  return { cookie, csrf: csrfToken(new Request(ORIGIN, { headers: { Cookie: cookie } })) };
}

const post = (headers: Record<string, string>, form: Record<string, string>) =>
  new Request(`${ORIGIN}/x`, { method: 'POST', headers, body: new URLSearchParams(form) });

describe('CSRF', () => {
  it('accepts the token of this browser from our own origin', async () => {
    const b = browser();
    const req = post({ Cookie: b.cookie, Origin: ORIGIN }, { csrf: b.csrf });
    const form = await req.formData();
    expect(() => assertCsrf(req, form)).not.toThrow();
    // Without Origin (older browsers), Sec-Fetch-Site: same-origin is enough.
    const old = post({ Cookie: b.cookie, 'Sec-Fetch-Site': 'same-origin' }, { csrf: b.csrf });
    expect(() => assertCsrf(old, null)).toThrow(); // no token in the header either
    const fd = new FormData();
    fd.set('csrf', b.csrf);
    expect(() => assertCsrf(old, fd)).not.toThrow();
    // fetch() callers send the token as a header instead.
    const viaHeader = post({ Cookie: b.cookie, Origin: ORIGIN, 'X-CSRF-Token': b.csrf }, {});
    expect(() => assertCsrf(viaHeader)).not.toThrow();
  });

  it.each([
    ['no token', (b: ReturnType<typeof browser>) => ({ headers: { Cookie: b.cookie, Origin: ORIGIN }, form: {} })],
    ['a wrong token', (b: ReturnType<typeof browser>) => ({ headers: { Cookie: b.cookie, Origin: ORIGIN }, form: { csrf: 'x'.repeat(43) } })],
    ['another browser’s token', (b: ReturnType<typeof browser>) => ({ headers: { Cookie: b.cookie, Origin: ORIGIN }, form: { csrf: browser().csrf } })],
    ['no CSRF cookie', (b: ReturnType<typeof browser>) => ({ headers: { Origin: ORIGIN }, form: { csrf: b.csrf } })],
    ['a foreign Origin', (b: ReturnType<typeof browser>) => ({ headers: { Cookie: b.cookie, Origin: 'https://evil.example' }, form: { csrf: b.csrf } })],
    ['Origin null', (b: ReturnType<typeof browser>) => ({ headers: { Cookie: b.cookie, Origin: 'null' }, form: { csrf: b.csrf } })],
    ['Sec-Fetch-Site: cross-site', (b: ReturnType<typeof browser>) => ({ headers: { Cookie: b.cookie, 'Sec-Fetch-Site': 'cross-site' }, form: { csrf: b.csrf } })],
  ])('refuses a state-changing request with %s (403, Swedish)', async (_label, make) => {
    const t = await freshDb();
    setDb(t.db);
    await createUser(t.db, { email: 'admin@myndighet.se', role: 'admin' });
    const { headers, form } = make(browser());
    const actions: [(args: ActionFunctionArgs) => Promise<unknown>, string][] = [
      [signInAction, '/logga-in'],
      [signOutAction, '/logga-ut'],
      [tokenAction, '/logga-in/abc'],
    ];
    for (const [action, url] of actions) {
      const res = (await callAction(action, url, { headers, form: { ...form, email: 'admin@myndighet.se' }, params: { token: 'abc' } })) as Response;
      expect(res.status, url).toBe(403);
      expect(await res.text()).toMatch(/säkerhetskontrollen/);
    }
    // Nothing happened: no sign-in mail was queued.
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0);
    await t.destroy();
  });

  it('issues a cookie only when the browser has none', () => {
    const first = issueCsrfCookie(undefined)!;
    expect(first.setCookie).toMatch(/^enkatnav_csrf=[A-Za-z0-9_-]{32}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=31536000$/);
    expect(issueCsrfCookie(first.cookieHeader)).toBeNull();
    expect(issueCsrfCookie('other=1')!.cookieHeader).toMatch(/^other=1; enkatnav_csrf=/);
  });
});

describe('rate limits', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
    setDb(t.db);
    await createUser(t.db, { email: 'admin@myndighet.se', role: 'admin' });
  });
  afterEach(async () => t.destroy());

  const requestLink = (email: string) => {
    const b = browser();
    return callAction(signInAction, '/logga-in', { headers: { Cookie: b.cookie, Origin: ORIGIN }, form: { csrf: b.csrf, email } }).then(
      (r) => r as Response,
    );
  };

  it('refuses the 6th sign-in attempt for an address within a minute with 429 and a Swedish message', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await requestLink('admin@myndighet.se')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await requestLink('ADMIN@myndighet.se');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect((await refused.json()).error).toMatch(/För många inloggningsförsök/);
    // Five links were made; the refused attempts made none.
    expect(await t.db.selectFrom('login_tokens').selectAll().execute()).toHaveLength(5);
  });

  it('counts unknown addresses too, per IP, so probing many addresses is stopped', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await requestLink(`okand${i}@myndighet.se`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('refuses the 6th wrong sign-in token within a minute, even when the 6th is right', async () => {
    const { link } = await requestSignInLink(t.db, { email: 'admin@myndighet.se', baseUrl: ORIGIN });
    const good = link!.split('/').pop()!;
    const b = browser();
    const tryToken = (token: string) =>
      callAction(tokenAction, `/logga-in/${token}`, { params: { token }, headers: { Cookie: b.cookie, Origin: ORIGIN }, form: { csrf: b.csrf } }).then((r) => r as Response);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await tryToken(randomBytes(32).toString('base64url'))).status);
    const sixth = await tryToken(good);
    expect([...statuses, sixth.status]).toEqual([400, 400, 400, 400, 400, 429]);
    expect((await sixth.json()).error).toMatch(/För många/);
    // The good token was not used up by the refused attempt.
    expect((await t.db.selectFrom('login_tokens').select('used_at').executeTakeFirstOrThrow()).used_at).toBeNull();
  });

  it('slides: the window does not reset at a minute boundary', async () => {
    const rule = { limit: 5, windowMs: 60_000 };
    const boundary = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
    for (let i = 0; i < 5; i++) expect((await hitRateLimit(t.db, 'k', rule, boundary - 500)).allowed).toBe(true);
    expect((await hitRateLimit(t.db, 'k', rule, boundary + 500)).allowed).toBe(false);
    // A minute and a half later, the old attempts no longer count.
    expect((await checkRateLimit(t.db, 'k', rule, boundary + 90_000)).allowed).toBe(true);
  });
});
