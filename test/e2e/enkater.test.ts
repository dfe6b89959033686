import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from '../helpers/db';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp, startApp } from './harness';

describe('survey pages in Chromium', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, app, browser } = await openBrowserSuite());
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  /** Opens a preview and waits until SurveyJS has rendered the first page. */
  async function openPreview(page: Page, id: string) {
    const errors: string[] = [];
    page.on('console', (m) => {
      // The browser's own /favicon.ico request is not the page's concern.
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(`${app.url}/enkater/${id}`);
    expect(response?.status()).toBe(200);
    await page.locator('.sd-root-modern').waitFor();
    return errors;
  }

  it('lists the survey families and their versions', async () => {
    const page = await newPage(browser);
    await page.goto(`${app.url}/enkater`);
    const families = await page.locator('section.survey-family h2').allTextContents();
    expect(families).toEqual(
      expect.arrayContaining([
        'Öppna jämförelser – Våld i nära relationer',
        'Återrapportering av utvecklingsmedel för arbetet mot våld i nära relationer – kommuner',
      ]),
    );
    expect(families).toHaveLength(7);
    const oj = page.locator('section', { has: page.getByRole('heading', { name: 'Öppna jämförelser – Våld i nära relationer' }) });
    expect(await oj.locator('tbody th').allTextContents()).toEqual(['2016', '2017', '2018', '2019']);
    await expect.poll(() => oj.getByText('Kommuner och stadsdelar').count()).toBe(1);
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Öppna jämförelser – Våld i nära relationer 2019' }).click();
    await page.waitForURL(/\/enkater\/oj-vinr-2019$/);
    await page.locator('.sd-root-modern').waitFor();
  });

  it('previews återrapportering 2018 in Swedish, page by page, with no axe violations', { timeout: 180_000 }, async () => {
    const page = await newPage(browser);
    const errors = await openPreview(page, 'aterrapportering-kommun-2018');
    await expectNoAxeViolations(page);
    const next = page.getByRole('button', { name: 'Nästa' });
    await expect.poll(() => next.count()).toBe(1);
    await expect.poll(() => page.getByText('Next', { exact: true }).count()).toBe(0);
    // Required questions do not block the preview, and the progress bar is in Swedish.
    const progress = page.locator('.sd-progress-buttons, .sd-progress').first();
    await expect.poll(() => progress.count()).toBe(1);
    await next.click();
    await expect.poll(() => page.getByRole('button', { name: 'Föregående' }).count()).toBe(1);
    const pageTitle = () => page.locator('.sd-page__title').first().textContent();
    await expect.poll(pageTitle).toBe('Samordningsfunktion');
    await expectNoAxeViolations(page);
    // Walk every page to the economic one, checking each: the amount to repay is computed live.
    for (let i = 0; i < 20 && (await pageTitle()) !== 'Ekonomisk redovisning'; i++) {
      await next.click();
      // Only the form changes from page to page; the long codebook table was checked above.
      await expectNoAxeViolations(page, { exclude: ['.codebook'] });
    }
    expect(await pageTitle()).toBe('Ekonomisk redovisning');
    await page.getByLabel(/Beviljat/).fill('250000');
    await page.getByLabel(/Förbrukat belopp per/).fill('200000');
    await page.getByLabel(/Förbrukat belopp per/).press('Tab');
    await expect.poll(async () => (await page.locator('.sd-expression').allTextContents()).join(' ')).toMatch(/50[\s\u00a0]?000/);
    await expectNoAxeViolations(page);
    expect(await page.getByRole('button', { name: /Slutför|Complete/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('previews ÖJ 2019 in Swedish with no axe violations', async () => {
    const page = await newPage(browser);
    const errors = await openPreview(page, 'oj-vinr-2019');
    await expectNoAxeViolations(page);
    await expect.poll(() => page.getByRole('button', { name: 'Nästa' }).count()).toBe(1);
    await expect.poll(() => page.getByText('Fortbildning', { exact: false }).count()).toBeGreaterThan(0);
    // The codebook below the form names the fixed keys.
    await expect.poll(() => page.locator('table.codebook code', { hasText: /^fortbildning_vuxna$/ }).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('previews the matrix pages of the samverkanspartner survey with no axe violations', { timeout: 180_000 }, async () => {
    const page = await newPage(browser);
    const errors = await openPreview(page, 'samverkanspartner-2014');
    const next = page.getByRole('button', { name: 'Nästa' });
    let matrices = 0;
    for (let i = 0; i < 15; i++) {
      const here = await page.locator('.sd-question--table table').count();
      if (here) expect(await page.locator('.sd-question--table table').first().getByText('Stämmer helt').count()).toBeGreaterThan(0);
      matrices += here;
      await expectNoAxeViolations(page, i === 0 ? {} : { exclude: ['.codebook'] });
      if ((await next.count()) === 0) break;
      await next.click();
    }
    expect(matrices).toBe(4);
    expect(errors).toEqual([]);
  });

  it('answers an unknown survey with a Swedish 404', async () => {
    const page = await newPage(browser);
    const response = await page.goto(`${app.url}/enkater/finns-inte-2000`);
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sidan finns inte');
  });

  it('refuses to start with a broken survey file, naming it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enkatnav-broken-surveys-'));
    try {
      fs.writeFileSync(path.join(dir, 'oj-vinr-2019.json'), '{ "meta": { "id": "oj-vinr-2019" ');
      await expect(startApp(t.url, { SURVEYS_DIR: dir })).rejects.toThrow(/App exited with 1:[\s\S]*Enkätnav cannot start: Broken survey file:[\s\S]*oj-vinr-2019\.json: not valid JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
