import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from '../helpers/db';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp } from './harness';
import { addUser, signInAs } from './sign-in';
import { choose, identify, nextPage } from './svar-helpers';

const ADMIN = 'admin@myndighet.se';

/** Waits until Remix has hydrated the page, so client-side handlers (live count, auto-submit) run. */
const hydrated = (page: Page) => page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized));

describe('administrator in Chromium: round → invitations → a response → status → missing list', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    // JOBS off: messages stay in the outbox (no SMTP_URL), where the test reads the links.
    ({ t, app, browser } = await openBrowserSuite({ env: { JOBS: 'off' }, seed: (t) => addUser(t, ADMIN, 'admin') }));
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  it('runs a round of ÖJ 2019 for the kommuner of two län', async () => {
    const admin = await newPage(browser, { acceptDownloads: true });
    const logs: string[] = [];
    admin.on('console', (m) => logs.push(`console ${m.type()}: ${m.text()}`));
    admin.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    // 1. Sign in with the link from the outbox.
    await signInAs(admin, app, t, ADMIN, '/admin');
    await expect.poll(() => admin.locator('h1').textContent()).toBe('Omgångar');
    await expectNoAxeViolations(admin);

    // Contacts for two of the kommuner, so invitations have somewhere to go.
    await admin.getByRole('link', { name: 'Kontakter' }).click();
    await admin.locator('h1', { hasText: 'Kontakter' }).waitFor();
    await admin.getByLabel('Fil').setInputFiles({
      name: 'kontakter.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('org,name,email,role\n0380,Ulla Uppsala,ulla@uppsala.se,socialchef\n0180,Sven Sthlm,sven@stockholm.se,\n9999,Ingen,ingen@x.se,\n'),
    });
    await admin.getByRole('button', { name: 'Läs in' }).click();
    await expect.poll(() => admin.locator('.flash').textContent()).toMatch(/2 nya kontakter, 0 uppdaterade\. 1 rader hoppades över/);
    expect(await admin.locator('.problem-list tbody').textContent()).toMatch(/4Okänd organisation/);
    await expectNoAxeViolations(admin);

    // 2. A round of ÖJ 2019 for all kommuner in Stockholms and Uppsala län.
    await admin.getByRole('link', { name: 'Ny omgång' }).click();
    await hydrated(admin).catch(async () => {
      throw new Error(`not hydrated at ${admin.url()}: ${logs.join('\n')} ${await admin.evaluate(() => typeof (window as any).__remixRouter + JSON.stringify((window as any).__remixRouter?.state?.initialized))}`);
    });
    await admin.getByLabel('Enkät', { exact: true }).selectOption('oj-vinr-2019');
    await admin.waitForURL(/survey=oj-vinr-2019/);
    // On load the live count shows every kommun (no län chosen yet).
    await expect.poll(() => admin.getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/^290 organisationer valda/);
    await admin.getByLabel('Omgångens titel').fill('ÖJ 2019 – Stockholm och Uppsala');
    await admin.getByLabel('Stockholms län').check();
    await admin.getByLabel('Uppsala län').check();
    await expect.poll(() => admin.getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/^34 organisationer valda/);
    await expectNoAxeViolations(admin);
    // Pasted codes: the unknown one is named.
    await admin.getByLabel('Efter organisationskoder').check();
    await admin.getByRole('textbox', { name: 'Organisationskoder' }).fill('0114 0180 9999');
    await expect.poll(() => admin.getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/2 organisationer valda.*Okända koder \(1\): 9999/);
    await admin.getByLabel('Efter typ, län och kommungrupp').check();
    await admin.getByLabel('Stockholms län').check();
    await admin.getByLabel('Uppsala län').check();
    await expect.poll(() => admin.getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/^34 organisationer valda/);
    await admin.getByRole('button', { name: 'Skapa omgång' }).click();
    await admin.waitForURL(/\/admin\/omgangar\/\d+\?skapad=1$/);
    const roundId = Number(/omgangar\/(\d+)/.exec(admin.url())![1]);
    await expect.poll(() => admin.locator('.rate-summary').textContent()).toMatch(/0 %.*0 av 34 har skickat in/s);
    await expectNoAxeViolations(admin);

    // 3. Send invitations.
    await admin.getByRole('button', { name: 'Skicka inbjudningar' }).click();
    await expect.poll(() => admin.locator('p.flash[role=status]').textContent()).toMatch(/^2 inbjudningar lades i utkorgen\. 32 saknar e-postadress/);
    const invitation = await t.db.selectFrom('outbox').select(['text_body', 'assignment_id']).where('kind', '=', 'invitation').where('to_address', '=', 'ulla@uppsala.se').executeTakeFirstOrThrow();
    const link = /http:\/\/\S+\/svar\/[A-Za-z0-9_-]{43}/.exec(invitation.text_body)![0];

    // 4. A respondent in a second browser context opens the link and submits.
    const respondent = await newPage(browser);
    await respondent.goto(link);
    await expect.poll(() => respondent.locator('.respondent-org').textContent()).toBe('Uppsala');
    await identify(respondent, 'Ulla Uppsala');
    await nextPage(respondent);
    await choose(respondent, /utreder våldsutsatta vuxna/, 'Ja');
    await choose(respondent, /utreder barn som utsatts/, 'Ja');
    await choose(respondent, /samlad plan/, 'Nej');
    await nextPage(respondent);
    await choose(respondent, /primärvården/, 'Ja');
    await choose(respondent, /kvinnojour/, 'Ja');
    await choose(respondent, /polisen/, 'Nej');
    await nextPage(respondent);
    await choose(respondent, /systematiskt följt upp/, 'Ja');
    await choose(respondent, /skyddade personuppgifter/, 'Ja');
    await choose(respondent, /kartläggning/, 'Nej');
    await choose(respondent, /FREDA kortfrågor/, 'Ja');
    await respondent.getByRole('button', { name: 'Skicka in svaret' }).click();
    await respondent.waitForURL(`${link}/kvittens`);

    // 5. The status view shows the change: 1 of 34, and Uppsala län 1 of 8.
    await admin.goto(`${app.url}/admin/omgangar/${roundId}`);
    await expect.poll(() => admin.locator('.rate-summary').textContent()).toMatch(/3 %.*1 av 34 har skickat in/s);
    const uppsala = admin.locator('table', { has: admin.locator('caption', { hasText: 'Efter län' }) }).locator('tr', { hasText: 'Uppsala län' });
    expect((await uppsala.locator('td').allTextContents()).slice(0, 4)).toEqual(['1', '0', '8', '13 %']);
    await admin.getByLabel('Status', { exact: true }).selectOption('submitted');
    await admin.waitForURL(/status=submitted/);
    await expect.poll(() => admin.locator('.result-count').textContent()).toMatch(/^1 svar matchar/);
    expect(await admin.locator('tbody tr', { hasText: '0380' }).textContent()).toMatch(/Inskickad.*Ulla Uppsala/);
    await expectNoAxeViolations(admin);

    // 6. The missing-list export holds exactly the other 33.
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('link', { name: 'Ladda ner CSV' }).click()]);
    const rows = parse(fs.readFileSync((await download.path())!, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
    const all = await t.db.selectFrom('assignments as a').innerJoin('organisations as o', 'o.id', 'a.organisation_id').select('o.code').where('a.round_id', '=', roundId).execute();
    const submittedCode = '0380';
    expect(rows.map((r) => r.Kod).sort()).toEqual(all.map((r) => r.code).filter((c) => c !== submittedCode).sort());
    expect(rows.find((r) => r.Kod === '0180')).toMatchObject({ Kontakter: 'Sven Sthlm', 'Kontakternas e-post': 'sven@stockholm.se' });

    // The per-assignment page: reopen with a reason, shown in the log.
    await admin.goto(`${app.url}/admin/omgangar/${roundId}/svar/${invitation.assignment_id}`);
    await admin.locator('h1').waitFor();
    await admin.getByLabel('Anledning till att svaret öppnas igen').fill('Kommunen vill rätta FREDA-svaret');
    await admin.getByRole('button', { name: 'Öppna svaret igen' }).click();
    await expect.poll(() => admin.locator('p.flash').textContent()).toMatch(/öppnat igen/);
    await expect.poll(() => admin.locator('ul.audit-log').textContent()).toMatch(/response\.reopen av admin@myndighet\.se – ”Kommunen vill rätta FREDA-svaret”/);
    await expectNoAxeViolations(admin);

    // Users: add an evaluator with the keyboard-reachable form; the whole log shows the day's changes.
    await admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Användare' }).click();
    await admin.getByLabel('E-postadress').fill('eva@myndighet.se');
    await admin.getByLabel('Roll').selectOption('evaluator');
    await admin.getByRole('button', { name: 'Lägg till' }).click();
    await expect.poll(() => admin.getByRole('status').first().textContent()).toMatch(/eva@myndighet\.se är tillagd som utvärderare/);
    await admin.getByRole('button', { name: 'Inaktivera eva@myndighet.se' }).waitFor();
    await expectNoAxeViolations(admin);
    await admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Logg', exact: true }).click();
    await admin.getByLabel('Händelse').selectOption('response.reopen');
    await admin.getByRole('button', { name: 'Visa' }).click();
    await expect.poll(() => admin.locator('tbody tr').count()).toBe(1);
    expect(await admin.locator('tbody').textContent()).toContain('Svar återöppnat');
    await expectNoAxeViolations(admin);
  });
});
