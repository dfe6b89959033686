/**
 * The respondent form (/svar/<token>) is rendered on the server and hydrated in the browser:
 * React 18 throws the server HTML away on any difference. The server's markup must therefore
 * depend only on the props: not on what the process rendered before (survey-core's element
 * ids), nor on the machine's time zone (the "Sparat 14.05" status).
 */
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { RespondentForm } from '~/components/respondent-form';
import { getSurvey } from '~/models/surveys/surveys.server';
import { modelPoolStats, refillAfterResponses } from '~/utils/survey-model-pool';
import { fixtures } from '../respond/helpers';

const SURVEY = 'aterrapportering-kommun-2018';
const json = () => getSurvey(SURVEY)!.json as Record<string, unknown>;

function render(surveyId: string, extra: Partial<Parameters<typeof RespondentForm>[0]> = {}): string {
  const props = { token: 't'.repeat(43), surveyJson: getSurvey(surveyId)!.json as Record<string, unknown>, version: 3, data: {}, prefilled: {}, lastSavedAt: null, ...extra };
  return renderToString(createElement(RespondentForm, props));
}

describe('server render of the respondent form', () => {
  it('gives the same HTML every time for the same props, whatever was rendered before', () => {
    const first = render(SURVEY);
    // Other forms in between, as a busy server renders them: a global id counter would move.
    render('oj-vinr-2019');
    new Model(json());
    const second = render(SURVEY);
    expect(second.length).toBeGreaterThan(10_000);
    // Compared as booleans: a failure would print two copies of the whole form.
    expect(second === first, 'second render equals the first').toBe(true);
    const ids = [...first.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toContain('sq_0');
    expect(new Set(ids).size, 'element ids are unique').toBe(ids.length);
  });

  it('renders the same from a model built ahead of time (the server pool) as from a fresh one', async () => {
    const fresh = render(SURVEY, { data: fixtures[SURVEY] });
    // The spare for this JSON is built after the render, on a timer.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const before = modelPoolStats();
    const pooled = render(SURVEY, { data: fixtures[SURVEY] });
    expect(modelPoolStats().taken, 'a spare model was used').toBe(before.taken + 1);
    expect(pooled === fresh, 'the pooled render equals the fresh one').toBe(true);
    // A spare goes to one render only: the next one (before the refill) builds its own.
    const again = render(SURVEY, { data: fixtures[SURVEY] });
    expect(modelPoolStats().taken).toBe(before.taken + 1);
    expect(again === fresh).toBe(true);
  });

  it('builds the replacement spare when the server says so (after a response), not during the render', async () => {
    // Refills the earlier tests left on the default timer are done first.
    await new Promise((resolve) => setTimeout(resolve, 10));
    // As app/server.ts does (for good: the tests after this one do not depend on spares).
    const refillSpares = refillAfterResponses();
    render(SURVEY, { data: fixtures[SURVEY] });
    const built = modelPoolStats().built;
    // Nothing is built until the server calls, however long the response takes.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(modelPoolStats().built).toBe(built);
    refillSpares();
    expect(modelPoolStats().built).toBe(built + 1);
    const before = modelPoolStats().taken;
    render(SURVEY, { data: fixtures[SURVEY] });
    expect(modelPoolStats().taken, 'the spare built after the response was used').toBe(before + 1);
  });

  it('shows the first question, in Swedish, with the saved answers and the prefill marks, but inert', () => {
    const model = new Model(json());
    const firstQuestion = model.pages[0].questions[0];
    const answers = fixtures[SURVEY];
    // Only the current (first) page is rendered: take a choice question from it.
    const [key, value] = Object.entries(answers).find(([k, v]) => typeof v === 'string' && model.pages[0].questions.some((q) => q.name === k && q.getType() === 'radiogroup'))!;
    const html = render(SURVEY, { data: answers, prefilled: { [key]: value } });
    expect(html.includes(firstQuestion.title.replace(/&/g, '&amp;')), 'first question title').toBe(true);
    expect(html).toContain('Nästa');
    expect(html).toContain('Formuläret laddas …');
    expect(html).toMatch(/class="respondent-survey" data-ready="false" aria-busy="true" inert=""/);
    expect(html).toContain('Från förra året – kontrollera att svaret stämmer.');
    // The saved choice is checked in the HTML itself.
    expect(new RegExp(`<input [^>]*name="${key}_sq_\\d+" checked="" value="${value}"`).test(html), `${key} = ${value} is checked`).toBe(true);
  });

  it('writes the last save time in Swedish time whatever the server zone', () => {
    const zone = process.env.TZ;
    try {
      const at = '2026-12-03T13:05:00.000Z';
      process.env.TZ = 'UTC';
      const utc = render('oj-vinr-2019', { lastSavedAt: at });
      process.env.TZ = 'America/New_York';
      const newYork = render('oj-vinr-2019', { lastSavedAt: at });
      expect(utc).toContain('Sparat 14:05');
      expect(newYork).toBe(utc);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
