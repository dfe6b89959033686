import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from '../helpers/db';
import { openRound } from '../respond/helpers';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp } from './harness';
import { choose, eventually, expectSaved, formReady, identify, isChosen, nextPage, question, storedResponse } from './svar-helpers';

const VUXNA = /utreder våldsutsatta vuxna/;
const BARN = /utreder barn som utsatts/;
const PLAN = /samlad plan/;

describe('respondent journey in Chromium', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let links: { id: number; token: string }[];
  let longForm: { id: number; token: string };

  beforeAll(async () => {
    const seed = async (t: TestDb) => {
      links = (await openRound(t.db, 'oj-vinr-2019', ['0180', '2584', '1480'], { contactText: 'Frågor? Ring 075-247 30 00.' })).assignments;
      [longForm] = (await openRound(t.db, 'aterrapportering-kommun-2018', ['0380'])).assignments;
    };
    ({ t, app, browser } = await openBrowserSuite({ seed }));
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  it('open link → fill page 1 → Sparat → reload keeps answers → fill rest → submit with one error → fix → submit → receipt', async () => {
    const page = await newPage(browser);
    const link = `${app.url}/svar/${links[0].token}`;
    // Every refused request the journey makes: autosave after submit (409) or a missing file (404).
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/skicka')) refused.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(link);
    await eventually(() => page.locator('h1').textContent()).toBe('Runda oj-vinr-2019');
    expect(await page.locator('.respondent-org').textContent()).toBe('Stockholm');
    await identify(page, 'Anna Andersson', 'anna@stockholm.se');
    await expectNoAxeViolations(page);

    await nextPage(page);
    await choose(page, VUXNA, 'Ja');
    await choose(page, BARN, 'Nej');
    await choose(page, PLAN, 'Ja');
    await expectSaved(page);
    await eventually(async () => (await storedResponse(t.db, links[0].id))?.data).toEqual({ fortbildning_vuxna: 'ja', fortbildning_barn: 'nej', plan_kompetensutveckling: 'ja' });

    await page.reload();
    await eventually(() => page.getByTestId('last-saved').textContent()).toMatch(/av Anna Andersson$/);
    await formReady(page);
    await nextPage(page);
    expect(await isChosen(page, VUXNA, 'Ja')).toBe(true);
    expect(await isChosen(page, BARN, 'Nej')).toBe(true);

    await nextPage(page);
    await choose(page, /primärvården/, 'Ja');
    await choose(page, /kvinnojour/, 'Nej');
    await choose(page, /polisen/, 'Ja');
    await nextPage(page);
    await choose(page, /systematiskt följt upp/, 'Delvis');
    await choose(page, /skyddade personuppgifter/, 'Ja');
    await choose(page, /kartläggning/, 'Nej');
    // Typing autosaves without leaving the field.
    await question(page, /Övriga kommentarer/).locator('textarea').pressSequentially('Rutinen revideras under våren.');
    await eventually(async () => (await storedResponse(t.db, links[0].id))?.data.ovriga_kommentarer).toBe('Rutinen revideras under våren.');
    // FREDA kortfrågor left out on purpose: the server refuses the submit.
    await page.getByRole('button', { name: 'Skicka in svaret' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.locator('li').count()).toBe(1);
    expect(await summary.textContent()).toMatch(/FREDA/);
    await eventually(() => question(page, /FREDA kortfrågor/).locator('.sd-question__erbox').first().textContent()).toBeTruthy();
    await expectNoAxeViolations(page);

    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/kunde inte skickas in/);
    await summary.getByRole('button').click();
    await choose(page, /FREDA kortfrågor/, 'Ja');
    // The fixed question leaves the summary.
    await eventually(() => summary.count()).toBe(0);
    await page.getByRole('button', { name: 'Skicka in svaret' }).click();
    await page.waitForURL(`${link}/kvittens`);
    expect(refused).toEqual([]);
    const reference = await page.locator('.receipt-reference').textContent();
    expect(reference).toMatch(/^ENK-2019-\d{6}-[0-9A-F]{4}$/);
    expect(await page.locator('.answer-list').textContent()).toContain('Delvis');
    expect(await page.locator('.answer-list').textContent()).toContain('Har kommunen en aktuell rutin för att inte röja skyddade personuppgifter?');
    await expectNoAxeViolations(page);

    const stored = await t.db.selectFrom('responses').select(['submitted_by', 'reference', 'submitted_email']).where('assignment_id', '=', links[0].id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ submitted_by: 'Anna Andersson', reference, submitted_email: 'anna@stockholm.se' });

    // The form is now locked and says so.
    await page.goto(link);
    await eventually(() => page.locator('.respondent-locked').textContent()).toMatch(/Svaret är inskickat/);
    await expectNoAxeViolations(page);
  });

  it('can be done with the keyboard alone', async () => {
    const page = await newPage(browser);
    await page.goto(`${app.url}/svar/${links[1].token}`);
    await page.getByLabel('Ditt namn').waitFor();
    const focusOn = async (matches: string, max = 60) => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const hit = await page.evaluate((m) => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return false;
          const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? (el as HTMLInputElement).value ?? '';
          return new RegExp(m).test(label.trim());
        }, matches);
        if (hit) return;
      }
      throw new Error(`could not reach ${matches} with Tab`);
    };
    await focusOn('^Ditt namn$');
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Enter');
    await formReady(page);
    // After Next, focus moves to the first question of the new page: Space picks the focused
    // (first) option, Tab moves on to the next question.
    const answerFirstOptions = async (questions: number) => {
      for (let i = 0; i < questions; i++) {
        if (i > 0) await page.keyboard.press('Tab');
        await eventually(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('radio');
        await page.keyboard.press('Space');
      }
    };
    for (const questions of [3, 3, 4]) {
      await focusOn('^Nästa$');
      await page.keyboard.press('Enter');
      await answerFirstOptions(questions);
    }
    await focusOn('^Skicka in svaret$');
    await page.keyboard.press('Enter');
    await page.waitForURL(/kvittens$/, { timeout: 10_000 }).catch(async (e) => {
      throw new Error(`${e}\n${await page.locator('.error-summary').textContent().catch(() => '')}\n${JSON.stringify(await storedResponse(t.db, links[1].id))}`);
    });
    expect(await page.locator('h1').textContent()).toMatch(/^Kvittens/);
    const stored = await storedResponse(t.db, links[1].id);
    expect(Object.keys(stored!.data)).toHaveLength(10);
  });

  it('shows a Swedish 404 for unknown links, and read-only pages after the deadline', async () => {
    const page = await newPage(browser);
    const res = await page.goto(`${app.url}/svar/${'x'.repeat(43)}`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Länken fungerar inte');
    expect(await page.locator('main').textContent()).toMatch(/Gör så här/);
    // The route's policy comes last and wins over the site-wide default.
    expect(res?.headers()['referrer-policy']?.split(/[\n,]\s*/).at(-1)).toBe('no-referrer');
    await expectNoAxeViolations(page);

    const round = await t.db.selectFrom('assignments').select('round_id').where('id', '=', links[2].id).executeTakeFirstOrThrow();
    await t.db.updateTable('rounds').set({ closed_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', round.round_id).execute();
    await page.goto(`${app.url}/svar/${links[2].token}`);
    await eventually(() => page.locator('.respondent-locked').textContent()).toMatch(/Sista svarsdag har passerat.*Ring 075-247 30 00/s);
    expect(await page.locator('.sd-root-modern').count()).toBe(0);
    await expectNoAxeViolations(page);
  });

  it('is rendered on the server: readable without JavaScript, inert until hydrated, then hydrated without a warning', async () => {
    const link = `${app.url}/svar/${longForm.token}`;
    const FIRST = 'Har kommunen använt utvecklingsmedlen för insatser inom något av följande områden';

    const noJs = await newPage(browser, { javaScriptEnabled: false });
    await noJs.goto(link);
    expect(await question(noJs, FIRST).count()).toBe(1);
    expect(await noJs.locator('.respondent-survey').getAttribute('inert')).toBe('');
    expect(await noJs.locator('.respondent-survey').getAttribute('aria-busy')).toBe('true');
    expect(await noJs.getByRole('status').first().textContent()).toMatch(/Formuläret laddas …/);
    expect(await noJs.locator('main').textContent()).toMatch(/behöver webbläsaren JavaScript/);
    // The theme comes as a stylesheet, not as a <style> in the form.
    expect(await noJs.locator('.sd-root-modern style').count()).toBe(0);
    expect(await noJs.locator('link[rel="stylesheet"][href^="/survey-theme.css?v="]').count()).toBe(1);
    await noJs.context().close();

    const page = await newPage(browser);
    const log: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning' || /hydrat|did not match/i.test(m.text())) log.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
    // A returning respondent; and the survey root as parsed, before any script ran: React 18
    // replaces the server's nodes when hydration fails.
    await page.addInitScript(() => {
      localStorage.setItem('enkatnav:respondent', JSON.stringify({ name: 'Sara Server', email: '' }));
      // React DOM reports each commit to a devtools hook, in production builds too. Records the
      // props object of the survey component (the top one with a SurveyJS model) at each commit:
      // a new object means the parent rendered it again.
      type Fiber = { child: Fiber | null; sibling: Fiber | null; memoizedProps?: { model?: { getAllQuestions?: unknown } }; stateNode?: { render?: unknown } };
      const surveyProps = new Set<unknown>();
      (window as unknown as { surveyProps: Set<unknown> }).surveyProps = surveyProps;
      const find = (fiber: Fiber | null): Fiber | null => {
        for (let f = fiber; f; f = f.sibling) {
          if (typeof f.memoizedProps?.model?.getAllQuestions === 'function' && typeof f.stateNode?.render === 'function') return f;
          const inside = find(f.child);
          if (inside) return inside;
        }
        return null;
      };
      (window as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown }).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
        supportsFiber: true,
        renderers: new Map(),
        inject: () => 1,
        checkDCE: () => {},
        onCommitFiberUnmount: () => {},
        onPostCommitFiberRoot: () => {},
        onCommitFiberRoot: (_id: number, root: { current: Fiber }) => {
          const survey = find(root.current);
          if (survey) surveyProps.add(survey.memoizedProps);
        },
      };
      document.addEventListener('readystatechange', () => {
        if (document.readyState === 'interactive') (window as unknown as { ssrRoot: Element | null }).ssrRoot = document.querySelector('.sd-root-modern');
      });
    });
    await page.goto(link);
    await formReady(page);
    expect(await page.locator('.respondent-survey').getAttribute('inert')).toBeNull();
    expect(await page.locator('.respondent-identity').textContent()).toMatch(/Du fyller i som Sara Server/);
    expect(await page.evaluate(() => {
      const root = (window as unknown as { ssrRoot: Element | null }).ssrRoot;
      return Boolean(root) && root === document.querySelector('.sd-root-modern');
    }), 'the server-rendered survey was hydrated, not replaced').toBe(true);
    await choose(page, /ledningssystem för systematiskt kvalitetsarbete/, 'Ja');
    await expectSaved(page);
    await eventually(async () => (await storedResponse(t.db, longForm.id))?.data.ledningssystem).toBe('ja');
    // The name shown after hydration and the status "Sparar …", then "Sparat", re-rendered the
    // page around the form, not the 43-question form itself (it updates from its own model).
    expect(await page.evaluate(() => (window as unknown as { surveyProps: Set<unknown> }).surveyProps.size)).toBe(1);
    expect(log).toEqual([]);
    await expectNoAxeViolations(page);
  });
});
