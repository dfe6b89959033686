import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureResponse, loadRespondentContext } from '~/models/responses/responses.server';
import { submitResponse } from '~/models/responses/submit.server';
import type { TestDb } from '../helpers/db';
import { fixtures, openRound } from '../respond/helpers';
import { closeBrowserSuite, expectNoAxeViolations, newPage, openBrowserSuite, type RunningApp } from './harness';
import { choose, eventually, expectSaved, identify, isChosen, nextPage, question, saveStatus, storedResponse } from './svar-helpers';

const VUXNA = /utreder våldsutsatta vuxna/;
const BARN = /utreder barn som utsatts/;
const PLAN = /samlad plan/;

describe('drafts are never lost: colleagues, offline, prefill', () => {
  let t: TestDb;
  let app: RunningApp;
  let browser: Browser;
  let links: { id: number; token: string }[];

  beforeAll(async () => {
    const seed = async (t: TestDb) => (links = (await openRound(t.db, 'oj-vinr-2019', ['0180', '2584'])).assignments);
    ({ t, app, browser } = await openBrowserSuite({ seed }));
  });
  afterAll(() => closeBrowserSuite({ t, app, browser }));

  it('two colleagues edit the same draft: the second save gets the conflict view and neither answer is lost', async () => {
    const link = `${app.url}/svar/${links[0].token}`;
    const anna = await newPage(browser);
    const bo = await newPage(browser);
    for (const [page, name] of [[anna, 'Anna'], [bo, 'Bo']] as const) {
      await page.goto(link);
      await identify(page, name);
      await nextPage(page);
    }
    await choose(anna, VUXNA, 'Ja');
    await choose(anna, PLAN, 'Ja');
    await expectSaved(anna);
    // Bo still works from version 0: one answer collides with Anna's, one is new.
    await choose(bo, VUXNA, 'Nej');
    await choose(bo, BARN, 'Ja');
    const conflict = bo.locator('.conflict-view');
    await conflict.waitFor({ timeout: 15_000 });
    expect(await saveStatus(bo)).toMatch(/kollega/);
    expect(await conflict.locator('fieldset').count()).toBe(1);
    expect(await conflict.locator('legend').textContent()).toMatch(VUXNA);
    expect(await conflict.textContent()).toMatch(/Mitt svar: Nej.*Kollegans svar: Ja/s);
    await expectNoAxeViolations(bo);
    // Submitting without a choice is refused, with the keyboard the choice is made.
    await conflict.getByRole('button', { name: /Använd valda svar/ }).click();
    await conflict.getByRole('alert').waitFor();
    await conflict.getByLabel(/Kollegans svar/).focus();
    await bo.keyboard.press('Space');
    await bo.keyboard.press('Enter');
    await conflict.waitFor({ state: 'detached' });
    await expectSaved(bo);
    await eventually(async () => (await storedResponse(t.db, links[0].id))?.data).toEqual({ fortbildning_vuxna: 'ja', fortbildning_barn: 'ja', plan_kompetensutveckling: 'ja' });
    // Bo's form shows Anna's merged answers too.
    expect(await isChosen(bo, PLAN, 'Ja')).toBe(true);
    expect(await isChosen(bo, VUXNA, 'Ja')).toBe(true);

    // Anna keeps going from her old version: her new answer merges without a question.
    await choose(anna, BARN, 'Ja');
    await choose(anna, PLAN, 'Nej');
    await expectSaved(anna);
    await eventually(async () => (await storedResponse(t.db, links[0].id))?.data).toEqual({ fortbildning_vuxna: 'ja', fortbildning_barn: 'ja', plan_kompetensutveckling: 'nej' });
    expect(await anna.locator('.conflict-view').count()).toBe(0);
    const revisions = await t.db.selectFrom('response_revisions').select(['version', 'saved_by']).orderBy('version').execute();
    expect(revisions.map((r) => r.saved_by)).toEqual(expect.arrayContaining([null, 'Anna', 'Bo']));
  });

  it('offline mid-editing: answers are kept in the browser and reach the server when the network is back', async () => {
    const context = await browser.newContext({ locale: 'sv-SE' });
    const page = await context.newPage();
    await page.goto(`${app.url}/svar/${links[1].token}`);
    await identify(page, 'Olle Offline');
    await nextPage(page);
    await choose(page, VUXNA, 'Ja');
    await expectSaved(page);

    await context.setOffline(true);
    await choose(page, BARN, 'Nej');
    await choose(page, PLAN, 'Ja');
    await nextPage(page);
    await choose(page, /primärvården/, 'Ja');
    await eventually(() => saveStatus(page)).toMatch(/^Inte sparat – försöker igen/);
    const backup = await page.evaluate((token) => localStorage.getItem(`enkatnav:draft:${token}`), links[1].token);
    expect(JSON.parse(backup!).data).toMatchObject({ fortbildning_barn: 'nej', overenskommelse_primarvard: 'ja' });
    expect((await storedResponse(t.db, links[1].id))?.data).toEqual({ fortbildning_vuxna: 'ja' });

    await context.setOffline(false);
    await expectSaved(page);
    await eventually(async () => (await storedResponse(t.db, links[1].id))?.data)
      .toEqual({ fortbildning_vuxna: 'ja', fortbildning_barn: 'nej', plan_kompetensutveckling: 'ja', overenskommelse_primarvard: 'ja' });
    expect(await page.evaluate((token) => localStorage.getItem(`enkatnav:draft:${token}`), links[1].token)).toBeNull();
    await context.close();
  });

  it('a 2018 återrapportering starts with the organisation’s 2017 answers, marked as carried over', async () => {
    const old = await openRound(t.db, 'aterrapportering-kommun-2017', ['0180']);
    const ctx = (await loadRespondentContext(t.db, old.assignments[0].token))!;
    const response = await ensureResponse(t.db, ctx);
    const submitted = await submitResponse(t.db, { ...ctx, response }, { baseVersion: 0, data: fixtures['aterrapportering-kommun-2017'], submittedBy: 'Anna' });
    expect(submitted.ok).toBe(true);
    const next = await openRound(t.db, 'aterrapportering-kommun-2018', ['0180']);

    const page = await newPage(browser);
    await page.goto(`${app.url}/svar/${next.assignments[0].token}`);
    await eventually(() => page.locator('.respondent-banner').textContent()).toMatch(/svar är ifyllda från er organisations svar för 2017/);
    await identify(page, 'Anna');
    const ledning = question(page, /ledningssystem/i).first();
    expect(await ledning.textContent()).toContain('Från förra året');
    expect(await isChosen(page, /ledningssystem/i, fixtures['aterrapportering-kommun-2017'].ledningssystem === 'ja' ? 'Ja' : 'Nej')).toBe(true);
    await expectNoAxeViolations(page);
    // Changing a carried-over answer removes its marker.
    await choose(page, /ledningssystem/i, fixtures['aterrapportering-kommun-2017'].ledningssystem === 'ja' ? 'Nej' : 'Ja');
    await eventually(() => ledning.textContent()).not.toContain('Från förra året');
    const stored = await t.db.selectFrom('responses').select('prefilled_keys').where('assignment_id', '=', next.assignments[0].id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.prefilled_keys!)).toContain('ledningssystem');
  });
});
