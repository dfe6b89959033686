import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSurvey, getSurveys, validateAnswers, type LoadedSurvey } from '../../app/models/surveys/surveys.server';
import { coreValidate, validateSubmission } from '../../app/models/surveys/validate.server';
import { readyValidationWorkers, startValidationWorkers, stopValidationWorkers, validateInWorker, whenValidationWorkersReady } from '../../app/models/surveys/validation-pool.server';
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

  it('really validates on the workers: a worker answers, and refuses a survey it does not know', async () => {
    expect(readyValidationWorkers()).toBe(2);
    const survey = getSurvey('aterrapportering-kommun-2018')!;
    const data = { ...VALID[survey.meta.id], ledningssystem: 'nej' };
    expect(await validateInWorker(survey.meta.id, data)).toEqual(coreValidate(survey, data));
    await expect(validateInWorker('bara-i-minnet', data)!).rejects.toThrow('unknown survey bara-i-minnet');
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

  it('validates inline when the worker does not know the survey (a survey built in memory)', async () => {
    const base = getSurvey('aterrapportering-kommun-2018')!;
    const survey: LoadedSurvey = { ...base, meta: { ...base.meta, id: 'bara-i-minnet' }, file: '(test)' };
    const data = { ...VALID[base.meta.id] };
    expect(await validateSubmission(survey, data)).toEqual(validateAnswers(survey, data, 'submit'));
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
    expect(validateInWorker(survey.meta.id, {})).toBeUndefined();
  });
});
