import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, writeCsv } from '../compare/fixtures';
import type { TestDb } from '../helpers/db';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp } from './harness';
import { addUser, signInAs } from './sign-in';
import { choose, identify, nextPage } from './svar-helpers';

const ADMIN = 'admin@myndighet.se';
const KOMMUNER = ['0114', '0115', '0117', '0120', '0123', '0125'];

/** Historical answers to fortbildning_vuxna for 2016–2019, imported as an operator would. */
async function seed(t: TestDb) {
  await addUser(t, ADMIN, 'admin');
  for (const year of [2016, 2017, 2018, 2019]) {
    const rows = KOMMUNER.map((org, i) => ({ org, fortbildning_vuxna: i % 2 ? 'nej' : 'ja' }));
    const r = await cli(t, 'import-responses', '--survey', `oj-vinr-${year}`, writeCsv(rows, `oj-${year}.csv`));
    expect(r.code, r.stderr).toBe(0);
  }
  const org = await t.db.selectFrom('organisations').select('id').where('code', '=', '0180').executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  await t.db.insertInto('contacts').values({ organisation_id: org.id, name: 'Sven Sthlm', email: 'sven@stockholm.se', role: null, created_at: now, updated_at: now }).execute();
}

const hydrated = (page: Page) => page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized));

/** The CodeMirror editor that replaces the JSON textarea after hydration (the textarea stays, hidden, as the form field). */
const codeMirror = (page: Page) => page.getByRole('textbox', { name: 'Enkätens SurveyJS-JSON' }).and(page.locator('.cm-content'));

/** Replaces the draft's JSON as a user would: in CodeMirror (select all, type) when it is there, else in the textarea. */
async function setJson(page: Page, text: string) {
  const textarea = page.locator('textarea#f-json');
  if (await codeMirror(page).count()) {
    await codeMirror(page).focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(text);
    // The textarea the form posts follows the editor.
    await expect.poll(() => textarea.inputValue()).toBe(text);
  } else {
    await textarea.fill(text);
  }
}

async function saveJson(page: Page, change: (json: any) => void) {
  await codeMirror(page).waitFor(); // loaded after hydration, again after each save
  const json = JSON.parse(await page.locator('textarea#f-json').inputValue());
  change(json);
  await setJson(page, JSON.stringify(json, null, 2));
  await page.getByRole('button', { name: 'Spara JSON' }).click();
  await page.waitForLoadState('networkidle');
}

const questionIn = (json: any, name: string) => json.pages.flatMap((p: any) => p.elements).find((e: any) => e.name === name);

describe('administrator publishes ÖJ 2020 from the browser', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, app, browser } = await openBrowserSuite({ env: { JOBS: 'off' }, seed }));
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  it('copies 2019, edits, sees the diff, is blocked, publishes, runs a round, and the trend reaches 2020', async () => {
    const admin = await newPage(browser);
    await signInAs(admin, app, t, ADMIN, '/admin');
    await admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Enkäter' }).click();
    await admin.locator('h1', { hasText: 'Enkäter' }).waitFor();
    await expectNoAxeViolations(admin);

    // A file that is not a survey is refused with a reason, and nothing is stored.
    await admin.getByLabel('Fil (JSON)').setInputFiles({ name: 'fel.json', mimeType: 'application/json', buffer: Buffer.from('{"pages": [ {"name": "p1", "elements": [{"type": "file", "name": "bilaga"}]}]}') });
    await admin.getByRole('button', { name: 'Ladda upp som utkast' }).click();
    await expect.poll(() => admin.locator('.error-summary').first().textContent()).toMatch(/Frågan ”bilaga”.*filuppladdning/);
    await expectNoAxeViolations(admin);

    // 1. Copy oj-vinr-2019 into a 2020 draft.
    await admin.getByLabel('Utgå från').selectOption('oj-vinr-2019');
    await admin.getByLabel('För år').fill('2020');
    await admin.getByRole('button', { name: 'Skapa utkast' }).click();
    await admin.waitForURL(/\/admin\/enkater\/oj-vinr-2020$/);
    await hydrated(admin);
    await expect.poll(() => admin.locator('.survey-diff').count()).toBe(0);
    await expectNoAxeViolations(admin);

    // 2. Rename a question text.
    await admin.getByLabel('Fråga', { exact: true }).first().selectOption('fortbildning_vuxna');
    await admin.getByLabel('Ny frågetext').fill('Har handläggare som utreder våldsutsatta vuxna fått fortbildning om våld i nära relationer under 2019?');
    await admin.getByRole('button', { name: 'Spara frågetexten' }).click();
    await expect.poll(() => admin.locator('.survey-diff').textContent()).toMatch(/fortbildning_vuxna.*Ändrad frågetext.*behåller nyckel och typ: trenden fortsätter/);

    // 3. Add a choice.
    await admin.locator('#f-ch-name').selectOption('fortbildning_barn');
    await admin.getByLabel('Kod', { exact: true }).fill('planeras');
    await admin.getByLabel('Text', { exact: true }).fill('Planeras');
    await admin.getByRole('button', { name: 'Lägg till alternativet' }).click();
    await expect.poll(() => admin.locator('.survey-diff').textContent()).toMatch(/fortbildning_barnNytt alternativ/);

    // 4. Add a question.
    await admin.getByLabel('Sida').selectOption('kompetens');
    await admin.getByLabel('Nyckel').fill('antal_utbildade');
    await admin.getByLabel('Typ', { exact: true }).selectOption('number');
    await admin.getByRole('textbox', { name: 'Frågetext', exact: true }).fill('Hur många handläggare har fått fortbildning?');
    await admin.getByRole('button', { name: 'Lägg till frågan' }).click();

    // 5. The diff shows the three changes, and no break.
    await expect.poll(() => admin.locator('.survey-diff').textContent()).toMatch(/antal_utbildadeNy fråga.*trenden börjar 2020/);
    expect(await admin.locator('.survey-diff tbody tr').count()).toBe(3);
    await expectNoAxeViolations(admin);

    // The JSON editor is CodeMirror: a syntax error gets an inline marker and a Swedish message,
    // Tab leaves the editor, and undo takes the error back.
    const editor = codeMirror(admin);
    await editor.waitFor();
    const saved = await admin.locator('textarea#f-json').inputValue();
    await editor.focus();
    await admin.keyboard.press('Control+End');
    await admin.keyboard.insertText('\n}');
    await expect.poll(() => admin.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    await expect.poll(() => admin.locator('#json-local').textContent()).toMatch(/inte giltig JSON: fel på rad \d+/);
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    expect(await editor.getAttribute('aria-describedby')).toContain('json-local');
    await expectNoAxeViolations(admin);
    await admin.keyboard.press('Tab');
    expect(await admin.evaluate(() => Boolean(document.activeElement?.closest('.cm-editor')))).toBe(false);
    await editor.focus();
    await admin.keyboard.press('Control+z');
    await expect.poll(() => admin.locator('.cm-lintRange-error').count()).toBe(0);
    expect(await admin.locator('textarea#f-json').inputValue()).toBe(saved);
    await expect.poll(() => admin.locator('#json-local').count()).toBe(0);

    // 6. Removing a choice blocks publishing.
    await saveJson(admin, (json) => {
      const q = questionIn(json, 'systematisk_uppfoljning');
      q.choices = q.choices.filter((c: any) => c.value !== 'delvis');
    });
    await expect.poll(() => admin.locator('#blocked').textContent()).toMatch(/svarsalternativ `delvis` borttaget: svar från 2019 med `delvis` kan inte jämföras/);
    // The check error (family rule) is listed with its question and marked in the editor at that question's "name".
    await expect.poll(() => admin.locator('.json-check-errors').textContent()).toMatch(/systematisk_uppfoljning/);
    // CodeMirror renders only what is in view: F8 (next diagnostic) goes to the marker.
    await codeMirror(admin).waitFor();
    await codeMirror(admin).focus();
    await admin.keyboard.press('Control+Home');
    await expect.poll(async () => {
      await admin.keyboard.press('F8');
      return (await admin.locator('.cm-lintRange-error').allTextContents()).join('');
    }).toMatch(/"name":\s*"systematisk_uppfoljning"/);
    await expectNoAxeViolations(admin);
    await admin.getByRole('button', { name: 'Publicera' }).click();
    await expect.poll(() => admin.locator('#blocked').textContent()).toMatch(/spärrad/);
    expect(admin.url()).not.toMatch(/publicerad=1/);
    await expectNoAxeViolations(admin);
    await saveJson(admin, (json) => {
      const q = questionIn(json, 'systematisk_uppfoljning');
      q.choices.splice(1, 0, { value: 'delvis', text: 'Delvis' });
    });
    await expect.poll(() => admin.locator('#blocked').count()).toBe(0);

    // 7. Publish.
    await admin.getByRole('button', { name: 'Publicera' }).click();
    await admin.waitForURL(/oj-vinr-2020\?publicerad=1$/);

    // 8. A round on the 2020 version.
    await admin.getByRole('link', { name: 'Starta en omgång med oj-vinr-2020' }).click();
    await hydrated(admin);
    await admin.getByLabel('Omgångens titel').fill('ÖJ 2020 – Stockholm');
    await admin.getByLabel('Efter organisationskoder').check();
    await admin.getByRole('textbox', { name: 'Organisationskoder' }).fill('0180');
    await expect.poll(() => admin.getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/^1 organisationer? vald/);
    await admin.getByRole('button', { name: 'Skapa omgång' }).click();
    await admin.waitForURL(/\/admin\/omgangar\/\d+\?skapad=1$/);
    await admin.getByRole('button', { name: 'Skicka inbjudningar' }).click();
    await expect.poll(() => admin.locator('p.flash[role=status]').textContent()).toMatch(/^1 inbjudan lades i utkorgen/);
    const invitation = await t.db.selectFrom('outbox').select('text_body').where('kind', '=', 'invitation').executeTakeFirstOrThrow();
    const link = /http:\/\/\S+\/svar\/[A-Za-z0-9_-]{43}/.exec(invitation.text_body)![0];
    await admin.goto(`${app.url}/admin/enkater`);
    await expect.poll(() => admin.locator('tr', { hasText: 'oj-vinr-2020' }).textContent()).toMatch(/Publicerad, används i en omgång/);

    // 9. A respondent answers the 2020 form, with the new choice.
    const respondent = await newPage(browser);
    await respondent.goto(link);
    await identify(respondent, 'Sven Sthlm');
    await nextPage(respondent);
    await choose(respondent, /utreder våldsutsatta vuxna fått fortbildning/, 'Ja');
    await choose(respondent, /utreder barn som utsatts/, 'Planeras');
    await choose(respondent, /samlad plan/, 'Nej');
    await nextPage(respondent);
    await choose(respondent, /primärvården/, 'Ja');
    await choose(respondent, /kvinnojour/, 'Ja');
    await choose(respondent, /polisen/, 'Nej');
    await nextPage(respondent);
    await choose(respondent, /systematiskt följt upp/, 'Delvis');
    await choose(respondent, /skyddade personuppgifter/, 'Ja');
    await choose(respondent, /kartläggning/, 'Nej');
    await choose(respondent, /FREDA kortfrågor/, 'Ja');
    await respondent.getByRole('button', { name: 'Skicka in svaret' }).click();
    await respondent.waitForURL(`${link}/kvittens`);

    // 10. The trend 2016–2020 of fortbildning_vuxna includes 2020.
    await admin.goto(`${app.url}/jamfor/ny?enkat=oj-vinr-2020&fraga=fortbildning_vuxna&trend=1&undertryck=0`);
    const preview = admin.locator('.cmp-preview');
    const years = () => preview.locator('table.cmp-table tbody tr td:first-child').allTextContents();
    await expect.poll(async () => [...new Set(await years())], { timeout: 20_000 }).toEqual(['2016', '2017', '2018', '2019', '2020']);
    // 2020: the one respondent answered "Ja" (Riket row: count / percent of those who answered).
    const riket2020 = preview.locator('table.cmp-table tbody tr', { has: admin.locator('td:first-child', { hasText: /^2020$/ }) }).last();
    expect((await riket2020.locator('td').allTextContents())[3]).toMatch(/^1 \/ 100/);
    await expectNoAxeViolations(admin);
  }, 240_000); // the whole journey in one browser session, on a shared machine
});
