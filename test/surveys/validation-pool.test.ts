import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSurvey, getSurveys, setPublishedSurveys, validateAnswers, type LoadedSurvey } from '../../app/models/surveys/surveys.server';
import { coreValidate, validateSubmission } from '../../app/models/surveys/validate.server';
import {
  readyValidationWorkers,
  startValidationWorkers,
  stopValidationWorkers,
  validateInWorker,
  validationPoolStats,
  whenValidationWorkersReady,
} from '../../app/models/surveys/validation-pool.server';
import { insertDraft, markPublished, syncPublishedSurveys } from '../../app/models/surveys/versions.server';
import { freshDb } from '../helpers/db';
import { VALID } from './helpers';

// survey-core validation on worker threads must give exactly what inline validation gives.
const surveys = getSurveys().filter((s) => VALID[s.meta.id]);

/** Answer sets that exercise every path: valid, a broken rule, a missing answer, schema errors. */
function cases(survey: LoadedSurvey): [string, unknown][] {
  const valid = VALID[survey.meta.id];
  const [first, ...others] = Object.keys(valid);
  return [
    ['the valid set', valid],
    ['the valid set without its first answer', Object.fromEntries(others.map((k) => [k, valid[k]]))],
    ['an unknown key and a wrong type', { ...valid, okand_fraga: 1, [first]: { nested: true } }],
    ['an empty set', {}],
    ['not an object', [1, 2]],
  ];
}

describe('inline, without workers', () => {
  it('validateSubmission gives what validateAnswers gives on submit', async () => {
    expect(readyValidationWorkers()).toBe(0);
    for (const survey of surveys) for (const [, data] of cases(survey)) expect(await validateSubmission(survey, data)).toEqual(validateAnswers(survey, data, 'submit'));
  });
});

describe('on validation workers', () => {
  beforeAll(async () => {
    startValidationWorkers(path.join(import.meta.dirname, 'validation-worker.entry.mjs'), { count: 2 });
    if (!(await whenValidationWorkersReady(2, 50_000))) throw new Error('validation workers did not start');
  }, 60_000);
  afterAll(() => stopValidationWorkers());

  it.each(surveys.map((s) => [s.meta.id, s] as const))('%s: the same result as inline validation', async (_id, survey) => {
    for (const [label, data] of cases(survey)) {
      expect(await validateSubmission(survey, data), label).toEqual(validateAnswers(survey, data, 'submit'));
    }
  });

  it('really validates on the workers: a worker answers, also for a survey it did not know', async () => {
    expect(readyValidationWorkers()).toBe(2);
    const survey = getSurvey('aterrapportering-kommun-2018')!;
    const data = { ...VALID[survey.meta.id], ledningssystem: 'nej' };
    const before = validationPoolStats();
    expect(await validateInWorker(survey, data)).toEqual(coreValidate(survey, data));
    expect(validationPoolStats().surveysSent).toBe(before.surveysSent); // a built-in survey: the worker has it
    const inMemory: LoadedSurvey = { ...survey, meta: { ...survey.meta, id: 'bara-i-minnet' }, file: '(test)' };
    expect(await validateInWorker(inMemory, data)).toEqual(coreValidate(inMemory, data));
    expect(validationPoolStats().surveysSent).toBe(before.surveysSent + 1);
  });

  it('the 2018 economic report: a broken rule comes back from the worker with its Swedish message', async () => {
    const survey = getSurvey('aterrapportering-kommun-2018')!;
    const valid = VALID[survey.meta.id] as Record<string, number>;
    const result = await validateSubmission(survey, { ...valid, forbrukat_belopp: valid.beviljat_belopp + 1 });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => [e.question, e.code])).toContainEqual(['forbrukat_belopp', 'rule']);
  });

  it('validates concurrent submissions independently', async () => {
    const survey = getSurvey('aterrapportering-kommun-2018')!;
    const valid = VALID[survey.meta.id] as Record<string, number>;
    const inputs = Array.from({ length: 20 }, (_, i) => (i % 2 ? valid : { ...valid, forbrukat_belopp: valid.beviljat_belopp + i }));
    const results = await Promise.all(inputs.map((data) => validateSubmission(survey, data)));
    expect(results.map((r) => r.ok)).toEqual(inputs.map((_, i) => i % 2 === 1));
    expect(results).toEqual(inputs.map((data) => validateAnswers(survey, data, 'submit')));
  });

  it('a version published in the database validates on the workers, with the verdicts of inline validation', async () => {
    const t = await freshDb();
    try {
      const base = getSurvey('oj-vinr-2019')!;
      const json: any = structuredClone(base.json);
      const vuxna = json.pages.flatMap((p: any) => p.elements).find((e: any) => e.name === 'fortbildning_vuxna');
      vuxna.choices.push({ value: 'planeras', text: 'Planeras' });
      await insertDraft(t.db, { meta: { ...base.meta, id: 'oj-vinr-2020', year: 2020, title: 'ÖJ 2020' }, survey: json, userId: null });
      await markPublished(t.db, 'oj-vinr-2020', null);
      await syncPublishedSurveys(t.db);
      const survey = getSurvey('oj-vinr-2020')!;
      expect(survey.file).toBe('databas:oj-vinr-2020');
      const valid = VALID['oj-vinr-2019'];
      const inputs: [string, unknown][] = [...cases({ ...survey, meta: { ...survey.meta, id: 'oj-vinr-2019' } }), ['the new choice', { ...valid, fortbildning_vuxna: 'planeras' }]];
      const before = validationPoolStats();
      for (const [label, data] of inputs) expect(await validateSubmission(survey, data), label).toEqual(validateAnswers(survey, data, 'submit'));
      const after = validationPoolStats();
      const objects = inputs.filter(([, d]) => !Array.isArray(d)).length;
      expect({ worker: after.worker - before.worker, inline: after.inline - before.inline, fallback: after.fallback - before.fallback }).toEqual({ worker: objects, inline: 0, fallback: 0 });
      expect(after.surveysSent - before.surveysSent).toBeGreaterThanOrEqual(1);
      expect(after.surveysSent - before.surveysSent).toBeLessThanOrEqual(2); // once per worker
      // The new choice is valid in 2020 only: the worker used the 2020 JSON.
      expect((await validateSubmission(survey, { ...valid, fortbildning_vuxna: 'planeras' })).ok).toBe(true);
      expect((await validateSubmission(base, { ...valid, fortbildning_vuxna: 'planeras' })).ok).toBe(false);
    } finally {
      setPublishedSurveys([]);
      await t.destroy();
    }
  });

  it('a version with the same id and other JSON is validated against its own JSON, not a cached one', async () => {
    const base = getSurvey('aterrapportering-kommun-2018')!;
    const one: LoadedSurvey = { ...base, meta: { ...base.meta, id: 'samma-id' }, file: '(test)' };
    const json: any = structuredClone(base.json);
    for (const page of json.pages) for (const e of page.elements ?? []) delete e.isRequired;
    const two: LoadedSurvey = { ...one, json };
    const before = validationPoolStats();
    expect((await validateSubmission(one, {})).ok).toBe(false);
    expect(await validateSubmission(two, {})).toEqual(validateAnswers(two, {}, 'submit'));
    expect(validateAnswers(two, {}, 'submit')).not.toEqual(validateAnswers(one, {}, 'submit'));
    expect(validationPoolStats().fallback).toBe(before.fallback);
  });
});

describe('a worker that keeps one survey besides the built-in ones', () => {
  beforeAll(async () => {
    startValidationWorkers(path.join(import.meta.dirname, 'validation-worker.entry.mjs'), { count: 1, cacheSize: 1 });
    if (!(await whenValidationWorkersReady(1, 50_000))) throw new Error('validation worker did not start');
  }, 60_000);
  afterAll(() => stopValidationWorkers());

  it('gets a dropped survey again and still validates on the worker', async () => {
    const base = getSurvey('aterrapportering-kommun-2018')!;
    const a: LoadedSurvey = { ...base, meta: { ...base.meta, id: 'minne-a' }, file: '(test)' };
    const b: LoadedSurvey = { ...base, meta: { ...base.meta, id: 'minne-b' }, file: '(test)' };
    const data = VALID[base.meta.id];
    const before = validationPoolStats();
    for (const survey of [a, b, a, b]) expect(await validateSubmission(survey, data)).toEqual(validateAnswers(survey, data, 'submit'));
    const after = validationPoolStats();
    expect({ worker: after.worker - before.worker, fallback: after.fallback - before.fallback, sent: after.surveysSent - before.surveysSent }).toEqual({ worker: 4, fallback: 0, sent: 4 });
  });
});

describe('a worker that hangs', () => {
  afterAll(() => stopValidationWorkers());

  it('is stopped after the timeout, and the submission is validated inline', async () => {
    startValidationWorkers(path.join(import.meta.dirname, 'hanging-worker.entry.mjs'), { count: 1, timeoutMs: 300 });
    expect(await whenValidationWorkersReady(1, 10_000)).toBe(true);
    const survey = getSurvey('oj-vinr-2019')!;
    const started = Date.now();
    expect(await validateSubmission(survey, VALID[survey.meta.id])).toEqual(validateAnswers(survey, VALID[survey.meta.id], 'submit'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(readyValidationWorkers()).toBe(0);
    // With the pool empty, the next submission does not wait at all.
    expect(validateInWorker(survey, {})).toBeUndefined();
  });
});
