import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from '../helpers/db';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp } from './harness';

describe('organisation directory in Chromium', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, app, browser } = await openBrowserSuite());
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  it('filters by län and has no axe violations', async () => {
    const page = await newPage(browser);
    await page.goto(`${app.url}/organisationer`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(332);
    await expectNoAxeViolations(page);

    await page.getByLabel('Län').selectOption({ label: 'Gotlands län' });
    await expect.poll(() => page.getByRole('status').textContent()).toBe('3 organisationer visas.');
    expect(new URL(page.url()).searchParams.get('lan')).toBe('09');
    const names = await page.locator('tbody th').allTextContents();
    expect(names).toEqual(['Gotland', 'Länsstyrelsen i Gotlands län', 'Region Gotland']);

    await page.getByLabel('Typ').selectOption('kommun');
    await page.getByLabel('Län').selectOption('');
    await expect.poll(() => page.getByRole('status').textContent()).toBe('290 organisationer visas.');
    await expectNoAxeViolations(page);
  });

  it('is usable with the keyboard: the skip link moves focus to the main content', async () => {
    const page = await newPage(browser);
    await page.goto(`${app.url}/organisationer`);
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Hoppa till huvudinnehållet');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('shows Swedish error pages', async () => {
    const page = await newPage(browser);
    const response = await page.goto(`${app.url}/finns-inte`);
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sidan finns inte');
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await expectNoAxeViolations(page);
  });
});
