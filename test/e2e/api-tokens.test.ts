import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type TestSession } from '../auth/helpers';
import type { TestDb } from '../helpers/db';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp } from './harness';

describe('API tokens in Chromium and against the running app', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let admin: TestSession;

  beforeAll(async () => {
    ({ t, app, browser } = await openBrowserSuite({ seed: async (t) => (admin = await signedIn(t.db, 'admin')) }));
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  it('an admin creates a token, the API accepts it, and after revoking it answers 401', async () => {
    const page = await newPage(browser);
    await page.context().addCookies(admin.browserCookies(app.url));
    await page.goto(`${app.url}/admin`);
    await page.getByRole('link', { name: 'API-nycklar' }).click();
    await page.waitForURL(`${app.url}/konto/api-nycklar`);
    await expectNoAxeViolations(page);

    await page.getByLabel('Namn på nyckeln').fill('Statistikskript');
    await page.getByRole('button', { name: 'Skapa nyckel' }).click();
    const field = page.getByLabel('Nyckel', { exact: true });
    await field.waitFor();
    const token = await field.inputValue();
    expect(token).toMatch(/^enk_[A-Za-z0-9_-]{43}$/);
    await expectNoAxeViolations(page);

    const get = (path: string, headers: Record<string, string> = { Authorization: `Bearer ${token}` }) => fetch(`${app.url}${path}`, { headers });
    const ok = await get('/api/v1/surveys?limit=1');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { id: string }[] }).data).toHaveLength(1);
    // Nested resource routes answer on their own (no parent loader, no HTML).
    const survey = await get('/api/v1/surveys/oj-vinr-2019');
    expect(((await survey.json()) as { codebook: unknown[] }).codebook.length).toBeGreaterThan(5);
    for (const path of ['/api/v1/rounds/1', '/api/v1/rounds/1/responses']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    // The session cookie alone does not open the API.
    expect((await get('/api/v1/surveys', { Cookie: admin.cookie })).status).toBe(401);
    const missing = await get('/api/v1/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    // ETag and 304 survive Express and compression.
    const etag = ok.headers.get('ETag')!;
    expect((await get('/api/v1/surveys?limit=1', { Authorization: `Bearer ${token}`, 'If-None-Match': etag })).status).toBe(304);
    const post = (body: string) => fetch(`${app.url}/api/v1/comparisons`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
    const bad = await post('{"title": 1}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_request', message: 'Invalid comparison definition.' } });
    const computed = await post(JSON.stringify({ title: 'T', source: 'S', population: { kind: 'kommun' }, measure: { survey: 'oj-vinr-2019', question: 'fortbildning_vuxna' } }));
    // Valid, but this database has no answers: the model's English message comes through.
    expect(computed.status).toBe(400);
    expect(await computed.json()).toEqual({ error: { code: 'bad_request', message: 'No submitted answers to "fortbildning_vuxna" in survey "oj-vinr-2019"' } });
    expect((await post(JSON.stringify({ title: 'x'.repeat(100_000) }))).status).toBe(413);
    const doc = await fetch(`${app.url}/api/v1/openapi.json`);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');

    // Reloading shows the token's beginning only, never the token.
    await page.goto(`${app.url}/konto/api-nycklar`);
    expect(await page.content()).not.toContain(token);
    await page.getByRole('button', { name: 'Återkalla Statistikskript' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/återkallad/);
    await expectNoAxeViolations(page);
    const revoked = await get('/api/v1/surveys');
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });
});
