import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RESPONDENT, inboxDemo } from '../../db/seed/demo-inbox';
import { respondentDemo } from '../../db/seed/demo-respond';
import type { TestDb } from '../helpers/db';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp } from './harness';
import { signInAs } from './sign-in';

describe('the organisation inbox in Chromium', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    const seed = async (t: TestDb) => {
      await respondentDemo(t.db);
      await inboxDemo(t.db);
    };
    ({ t, app, browser } = await openBrowserSuite({ env: { JOBS: 'off' }, seed }));
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  it('shows three rounds, opens the form and serves the calendar feed without cookies', async () => {
    const page = await newPage(browser);
    // Browser errors go into the failure message: a server-only import in the page shows up only here.
    const logs: string[] = [];
    page.on('pageerror', (e) => logs.push(e.message));
    await signInAs(page, app, t, DEMO_RESPONDENT.email, '/min-organisation');
    await expect
      .poll(() => page.locator('h1').textContent())
      .toMatch(/^Min organisation: /)
      .catch((e: unknown) => {
        throw new Error(`${String(e)}\n${logs.join('\n')}\n${app.output()}`);
      });
    await expectNoAxeViolations(page);
    const open = page.locator('section[aria-labelledby="open-heading"] tbody tr');
    expect(await open.count()).toBe(2);
    expect(await open.nth(0).locator('th').textContent()).toMatch(/2019/);
    expect(await open.nth(1).textContent()).toMatch(/Förlängd.*Inte påbörjad/);
    expect(await page.locator('section[aria-labelledby="past-heading"] tbody tr').count()).toBe(1);

    const feedUrl = await page.getByLabel('Kalenderadress (iCalendar)').inputValue();
    expect(feedUrl).toMatch(/\/min-organisation\/kalender\.ics\?token=\d+\.[A-Za-z0-9_-]{43}$/);
    // A calendar app: a plain request with no cookies.
    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    const ics = await feed.text();
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(ics).toContain('SUMMARY:Sista svarsdag: Återrapportering utvecklingsmedel 2018 (demo)');
    expect((await fetch(feedUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).status).toBe(404);

    await open.nth(1).getByRole('link', { name: /Till formuläret/ }).click();
    await page.waitForURL(/\/svar\/[A-Za-z0-9_-]{43}$/);
    await page.close();
  });
});
