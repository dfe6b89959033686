import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type TestSession } from '../auth/helpers';
import { loadFixture, PROGRAM } from '../compare/fixtures';
import type { TestDb } from '../helpers/db';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp } from './harness';

describe('evaluator comparisons in Chromium', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let evaluator: TestSession;

  beforeAll(async () => {
    const seed = async (t: TestDb) => {
      await loadFixture(t);
      evaluator = await signedIn(t.db, 'evaluator');
    };
    ({ t, app, browser } = await openBrowserSuite({ seed }));
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  async function evaluatorPage(): Promise<Page> {
    const page = await newPage(browser, { acceptDownloads: true });
    await page.context().addCookies(evaluator.browserCookies(app.url));
    return page;
  }

  it('builds "fortbildning_vuxna by grant 2018", saves it, shows chart and table, downloads CSV, SVG and PNG', async () => {
    const page = await evaluatorPage();
    // A crash during hydration (React #418) re-renders the builder on the client and loses choices.
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    await page.goto(`${app.url}/jamfor/ny`);
    await expectNoAxeViolations(page);
    // Kommuner is the default population; the survey list offers the surveys kommuner answer.
    expect(await page.getByLabel('Vilka räknas?').inputValue()).toBe('kommun');
    await page.getByLabel('Vad ska jämföras?').selectOption('oj-vinr-2019');
    await page.getByLabel('Fråga').selectOption('fortbildning_vuxna');
    await page.getByLabel('Dela upp efter').selectOption('grant');
    await page.getByLabel('Medel: program').selectOption(PROGRAM);
    await page.getByLabel('Medel: år').selectOption('2018');
    // The live preview (a fetcher) shows the figure without leaving the page.
    const preview = page.locator('.cmp-preview');
    await preview.locator('svg[role="img"]').waitFor();
    await expect.poll(() => preview.locator('tbody th').allTextContents()).toEqual(['Använt', 'Inte använt', 'Riket']);
    expect(page.url()).toMatch(/\/jamfor\/ny$/);
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Spara jämförelse' }).click();
    await page.waitForURL(/\/jamfor\/db-\d+$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('fortbildning_vuxna efter medel 2018');
    expect(await page.locator('figure svg[role="img"] rect').count()).toBeGreaterThanOrEqual(3);
    const used = page.locator('table.cmp-table tbody tr', { has: page.locator('th', { hasText: /^Använt$/ }) });
    expect(await used.locator('td').allTextContents()).toEqual(['240', '26', '235 / 98 %', '5 / 2 %']);
    await expect.poll(() => page.getByText(/^Källa: /).count()).toBe(1);
    await expect.poll(() => page.getByText('Jämförelsen är beskrivande och visar inte orsakssamband', { exact: false }).count()).toBe(1);
    await expectNoAxeViolations(page);
    expect(pageErrors).toEqual([]);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tabell (CSV)' }).click()]);
    const csvText = fs.readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '');
    expect(csvText.split(/\r?\n/)[0]).toBe('group,label,n,missing,count_ja,percent_ja,count_nej,percent_nej');
    expect(csvText).toContain('Använt,Använt,240,26,235,98,5,2');

    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Diagram (SVG)' }).click()]);
    const svgText = fs.readFileSync((await svg.path())!, 'utf8');
    expect(svgText).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svgText).toContain('<title>fortbildning_vuxna efter medel 2018</title>');

    // The PNG is the same standalone figure, rasterised on the server (a link, works without JavaScript).
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Diagram (PNG)' }).click()]);
    expect(png.suggestedFilename()).toBe(`${svg.suggestedFilename().replace(/\.svg$/, '')}.png`);
    expect(fs.readFileSync((await png.path())!).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('without JavaScript (or before hydration) the builder works through Förhandsgranska', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.context().addCookies(evaluator.browserCookies(app.url));
    await page.goto(`${app.url}/jamfor/ny`);
    await page.getByLabel('Vad ska jämföras?').selectOption('oj-vinr-2019');
    await page.getByRole('button', { name: 'Förhandsgranska' }).click();
    await page.getByLabel('Fråga').selectOption('fortbildning_vuxna');
    await page.getByLabel('Dela upp efter').selectOption('lan');
    await page.getByRole('button', { name: 'Förhandsgranska' }).click();
    await page.locator('.cmp-preview svg[role="img"]').waitFor();
    expect(page.url()).toMatch(/enkat=oj-vinr-2019&fraga=fortbildning_vuxna/);
    expect(await page.locator('.cmp-preview tbody th').last().textContent()).toBe('Riket');
  });

  it('a choice made before hydration gets its preview once the page is live', async () => {
    const page = await evaluatorPage();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/build\/.*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${app.url}/jamfor/ny`, { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Vad ska jämföras?').selectOption('oj-vinr-2019');
    release();
    await page.getByLabel('Fråga').selectOption('fortbildning_vuxna');
    await expect.poll(() => page.locator('.cmp-preview tbody th').allTextContents()).toEqual(['Riket']);
  });

  it('a definition with no data gives a Swedish message, not an error page', async () => {
    const page = await evaluatorPage();
    await page.goto(`${app.url}/jamfor/ny?enkat=oj-vinr-2019&fraga=kartlaggning_vald&grupp=lan&undertryck=5`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Det finns inga inskickade svar på frågan "kartlaggning_vald"/);
  });

  it('the map page renders all 290 kommuner for 2014 and 2018', async () => {
    const page = await evaluatorPage();
    const response = await page.goto(`${app.url}/jamfor/karta`);
    expect(response?.status()).toBe(200);
    const maps = page.locator('figure.cmp-map');
    await expect.poll(() => maps.count()).toBe(2);
    expect(await maps.nth(0).locator('path[data-kommun]').count()).toBe(290);
    expect(await maps.nth(1).locator('path[data-kommun]').count()).toBe(290);
    expect(await maps.nth(1).locator('.cmp-legend li').allTextContents()).toEqual([
      'Inte rekvirerat: 17 kommuner',
      'Förbrukat allt/delvis: 266 kommuner',
      'Återbetalt hela beloppet: 7 kommuner',
    ]);
    await expectNoAxeViolations(page);
  });

  it('keeps /jamfor for signed-in evaluators', async () => {
    const page = await newPage(browser);
    await page.goto(`${app.url}/jamfor`);
    expect(page.url()).toMatch(/\/logga-in\?redirectTo=%2Fjamfor/);
  });
});
