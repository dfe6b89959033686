import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../app/cli/main';
import { createRound } from '../../app/models/rounds/rounds.server';
import { freshDb, type TestDb } from '../helpers/db';
import { startSmtp, type TestSmtp } from '../mail/smtp-helper';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp, startApp } from './harness';

async function addUser(t: TestDb, email: string, role: string) {
  const out: string[] = [];
  const code = await runCli(['user', 'add', '--email', email, '--role', role], { out: (s) => out.push(s), err: (s) => out.push(s) }, t.db);
  expect(code, out.join('\n')).toBe(0);
}

/** The newest sign-in link in the outbox for an address. */
async function linkFromOutbox(t: TestDb, email: string): Promise<string> {
  const row = await t.db.selectFrom('outbox').select('text_body').where('kind', '=', 'signin').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return /http:\/\/\S+\/logga-in\/[A-Za-z0-9_-]{43}/.exec(row.text_body)![0];
}

describe('sign-in in Chromium', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    const seed = async (t: TestDb) => {
      await addUser(t, 'admin@myndighet.se', 'admin');
      await addUser(t, 'eva@myndighet.se', 'evaluator');
    };
    ({ t, app, browser } = await openBrowserSuite({ env: { JOBS: 'off' }, seed }));
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  it('an admin created by the CLI signs in with the link from the outbox, and lands where they were going', async () => {
    const page = await newPage(browser);
    await page.goto(`${app.url}/admin/utkorg`);
    expect(new URL(page.url()).pathname).toBe('/logga-in');
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/admin/utkorg');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Logga in');
    await expectNoAxeViolations(page);

    // A wrong address first: the error is announced beside the field.
    await page.getByLabel('E-postadress').fill('inte-en-adress');
    await page.getByRole('button', { name: 'Skicka inloggningslänk' }).click();
    await expect.poll(() => page.locator('#email-error').textContent()).toMatch(/giltig e-postadress/);
    expect(await page.getByLabel('E-postadress').getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(page);

    await page.getByLabel('E-postadress').fill('admin@myndighet.se');
    await page.getByRole('button', { name: 'Skicka inloggningslänk' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Om adressen finns hos oss har vi skickat en inloggningslänk/);
    await expectNoAxeViolations(page);

    const link = await linkFromOutbox(t, 'admin@myndighet.se');
    expect(link.startsWith(app.url)).toBe(true);
    // Opening the link (as a mail scanner would) does not sign in or use it up.
    await page.goto(link);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Logga in i Enkätnav');
    await expectNoAxeViolations(page);
    await page.reload();
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(`${app.url}/admin/utkorg`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Utkorg');
    await expect.poll(() => page.locator('tbody tr').first().textContent()).toMatch(/Inloggning.*admin@myndighet\.se.*I kö/);
    await expectNoAxeViolations(page);

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'enkatnav_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    // The same link again: refused, with a way forward.
    const other = await newPage(browser);
    await other.goto(link);
    await other.getByRole('button', { name: 'Logga in' }).click();
    await expect.poll(() => other.getByRole('alert').textContent()).toMatch(/Länken fungerar inte/);
    await expectNoAxeViolations(other);

    // Sign out with the button; the admin pages are closed again.
    await page.goto(`${app.url}/logga-ut`);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.waitForURL(/\/logga-in\?utloggad=1$/);
    await page.goto(`${app.url}/admin/utkorg`);
    expect(new URL(page.url()).pathname).toBe('/logga-in');
  });

  it('an evaluator who signs in gets a Swedish 403 page on the admin pages', async () => {
    const page = await newPage(browser);
    await page.goto(`${app.url}/logga-in`);
    await page.getByLabel('E-postadress').fill('eva@myndighet.se');
    await page.getByRole('button', { name: 'Skicka inloggningslänk' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Om adressen finns/);
    await page.goto(await linkFromOutbox(t, 'eva@myndighet.se'));
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(`${app.url}/jamfor`);
    const response = await page.goto(`${app.url}/admin/utkorg`);
    expect(response?.status()).toBe(403);
    await expect.poll(() => page.locator('main').textContent()).toMatch(/inte behörighet/);
    await expectNoAxeViolations(page);
  });
});

/** A tiny cookie jar for fetch, so requests can alternate between two instances as one browser. */
class Client {
  cookies = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '') this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), value);
    }
    return res;
  }
  /** The CSRF token from a page's form. */
  async csrfFrom(url: string): Promise<string> {
    const html = await (await this.fetch(url)).text();
    return /name="csrf" value="([^"]+)"/.exec(html)![1];
  }
  post(url: string, form: Record<string, string>, origin = new URL(url).origin) {
    return this.fetch(url, { method: 'POST', body: new URLSearchParams(form), headers: { Origin: origin } });
  }
}

describe('two app instances on one database', () => {
  let t: TestDb;
  let a: RunningApp;
  let b: RunningApp;

  beforeAll(async () => {
    t = await freshDb({ file: true });
    await addUser(t, 'admin@myndighet.se', 'admin');
    [a, b] = await Promise.all([startApp(t.url, { JOBS: 'off' }), startApp(t.url, { JOBS: 'off' })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await t?.destroy();
  });

  it('a session and a CSRF token from one instance work on the other', async () => {
    const client = new Client();
    const csrf = await client.csrfFrom(`${a.url}/logga-in`);
    expect((await client.post(`${a.url}/logga-in?index`, { csrf, email: 'admin@myndighet.se' })).status).toBe(200);
    const token = (await linkFromOutbox(t, 'admin@myndighet.se')).split('/').pop()!;

    // Confirm on B with the token A's page gave.
    const signedIn = await client.post(`${b.url}/logga-in/${token}`, { csrf });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('Location')).toBe('/admin');
    expect(client.cookies.has('enkatnav_session')).toBe(true);

    for (const app of [a, b, a]) expect((await client.fetch(`${app.url}/admin/utkorg`)).status).toBe(200);

    // Sign out on A: B no longer knows the session.
    const csrfB = await client.csrfFrom(`${b.url}/logga-ut`);
    expect((await client.post(`${a.url}/logga-ut`, { csrf: csrfB })).status).toBe(302);
    const after = await client.fetch(`${b.url}/admin/utkorg`);
    expect(after.status).toBe(302);
    expect(after.headers.get('Location')).toMatch(/^\/logga-in\?redirectTo=/);
  });

  it('refuses a foreign Origin on both instances', async () => {
    const client = new Client();
    const csrf = await client.csrfFrom(`${a.url}/logga-in`);
    for (const app of [a, b]) {
      const res = await client.post(`${app.url}/logga-in?index`, { csrf, email: 'admin@myndighet.se' }, 'https://evil.example');
      expect(res.status).toBe(403);
    }
  });

  it('counts sign-in attempts across both instances: the 6th within a minute is refused', async () => {
    await t.db.deleteFrom('rate_limits').execute();
    const client = new Client();
    const csrf = await client.csrfFrom(`${a.url}/logga-in`);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? a : b;
      statuses.push((await client.post(`${app.url}/logga-in?index`, { csrf, email: 'admin@myndighet.se' })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await client.post(`${b.url}/logga-in?index`, { csrf, email: 'admin@myndighet.se' });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/För många inloggningsförsök/);
  });
});

describe('two instances running the job loop against a real SMTP server', () => {
  let t: TestDb;
  let smtp: TestSmtp;
  let apps: RunningApp[] = [];

  beforeAll(async () => {
    t = await freshDb({ file: true });
    smtp = await startSmtp();
    const env = { JOBS: 'on', JOBS_INTERVAL_SECONDS: '1', SMTP_URL: smtp.url, LOG_LEVEL: 'info' };
    apps = await Promise.all([startApp(t.url, env), startApp(t.url, env)]);
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await smtp?.close();
    await t?.destroy();
  });

  it('delivers each due reminder exactly once', async () => {
    for (const app of apps) expect(app.output()).toMatch(/job loop started/);
    // 40 kommuner with a contact each; 10 have submitted. The -3 step is due now.
    const orgs = await t.db.selectFrom('organisations').select(['id', 'code']).where('kind', '=', 'kommun').orderBy('code').limit(40).execute();
    const stamp = new Date().toISOString();
    await t.db
      .insertInto('contacts')
      .values(orgs.map((o) => ({ organisation_id: o.id, name: `Kontakt ${o.code}`, email: `kontakt@${o.code}.kommun.se`, role: null, created_at: stamp, updated_at: stamp })))
      .execute();
    const now = Date.now();
    // The round appears while both loops are running, so they race for it.
    const { round } = await createRound(t.db, {
      surveyId: 'oj-vinr-2019',
      title: 'ÖJ 2019',
      opensAt: new Date(now - 20 * 86_400_000).toISOString(),
      closesAt: new Date(now + 2 * 86_400_000).toISOString(),
      organisationIds: orgs.map((o) => o.id),
    });
    await t.db.updateTable('assignments').set({ status: 'submitted' }).where('round_id', '=', round.id).where('organisation_id', 'in', orgs.slice(0, 10).map((o) => o.id)).execute();

    await expect.poll(() => smtp.received.length, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(30);
    // Let both loops run a few more passes: nothing more may arrive.
    await new Promise((r) => setTimeout(r, 3_000));
    const recipients = smtp.received.map((m) => m.to[0]).sort();
    expect(recipients).toHaveLength(30);
    expect(new Set(recipients).size).toBe(30);
    expect(recipients).toEqual(orgs.slice(10).map((o) => `kontakt@${o.code}.kommun.se`).sort());
    const rows = await t.db.selectFrom('outbox').select(['status', 'attempts', 'locked_by']).execute();
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    // Which instance sent what (both usually take part; that is not asserted, exactly-once is).
    const split = new Map<string, number>();
    for (const r of rows) split.set(r.locked_by ?? '', (split.get(r.locked_by ?? '') ?? 0) + 1);
    console.log(`two-instance reminders: ${recipients.length} sent exactly once; by worker ${[...split].map(([w, n]) => `${w}: ${n}`).join(', ')}`);
  });

  it('stops the job loop and exits cleanly on SIGTERM', async () => {
    for (const app of apps) {
      await app.stop('SIGTERM');
      expect(app.process.exitCode).toBe(0);
      expect(app.output()).not.toMatch(/job run failed/);
    }
  });
});
