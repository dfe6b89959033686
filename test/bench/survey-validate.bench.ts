/**
 * Survey answer validation speed: full 'submit' validation (strict schema + survey-core) of the
 * complete valid answer set of aterrapportering-kommun-2018 (43 questions), with pooled models
 * (what the app does) and with a fresh model per validation (what it would cost without the
 * pool). The respondent form needs ≥ 100 submits/s on 2 cores.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createModel, validationJson } from '../../app/models/surveys/model.server';
import { getSurvey, validateAnswers } from '../../app/models/surveys/surveys.server';
import { round, type BenchFigure } from './figure';

const ID = 'aterrapportering-kommun-2018';

/**
 * Runs `fn` repeatedly; returns runs per wall-clock second and per CPU second. The machine is
 * shared, so wall-clock rates fall with the load; the CPU-time rate is what one free core does.
 */
function perSecond(fn: () => void, { minMs = 2000, maxRuns = 5000, warmup = 30 } = {}): { rate: number; cpuRate: number; runs: number } {
  for (let i = 0; i < warmup; i++) fn(); // let the JIT settle
  const started = performance.now();
  const cpu = process.cpuUsage();
  let runs = 0;
  while (runs < maxRuns && performance.now() - started < minMs) {
    fn();
    runs++;
  }
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return { rate: (runs * 1000) / (performance.now() - started), cpuRate: (runs * 1000) / cpuMs, runs };
}

export async function run(): Promise<BenchFigure[]> {
  const survey = getSurvey(ID);
  if (!survey) throw new Error(`survey ${ID} not found`);
  const valid = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/valid-answers.json'), 'utf8'))[ID];
  const invalid = { ...valid, forbrukat_belopp: valid.beviljat_belopp + 1 };

  const check = (data: unknown, ok: boolean) => {
    if (validateAnswers(survey, data, 'submit').ok !== ok) throw new Error('unexpected validation result');
  };
  const pooled = perSecond(() => check(valid, true));
  const pooledInvalid = perSecond(() => check(invalid, false));
  // Without the pool: a new model per validation (schema checks excluded, they are the same).
  const fresh = perSecond(
    () => {
      const model = createModel(validationJson(survey.json));
      model.data = structuredClone(valid);
      if (!model.validate(true)) throw new Error('unexpected');
    },
    { minMs: 2000, maxRuns: 200, warmup: 3 },
  );
  // A form with a dynamic matrix gets a fresh model per validation (issue 17: pooled models kept
  // the row count of the previous answers): the same survey plus one matrixdynamic.
  const json = survey.json as { pages: unknown[] };
  const dynamicForm = { ...survey, json: { ...json, pages: [...json.pages, { name: 'extra', elements: [{ type: 'matrixdynamic', name: 'extra_rader', rowCount: 0, columns: [{ name: 'a', cellType: 'text' }] }] }] } };
  const dynamic = perSecond(() => check(valid, true), { minMs: 2000, maxRuns: 200, warmup: 3 });
  const checkDynamic = () => {
    if (!validateAnswers(dynamicForm, valid, 'submit').ok) throw new Error('unexpected validation result');
  };
  const dynamicFresh = perSecond(checkDynamic, { minMs: 2000, maxRuns: 200, warmup: 3 });
  const construct = perSecond(() => createModel(survey.json), { minMs: 1000, maxRuns: 200, warmup: 3 });
  const draft = perSecond(() => {
    if (!validateAnswers(survey, valid, 'draft').ok) throw new Error('unexpected');
  });

  return [
    { name: `submit validations/s, pooled model (${ID}, valid set), wall clock`, value: round(pooled.rate), unit: '/s', target: '≥ 100 /s', met: pooled.rate >= 100 },
    { name: `submit validations per CPU-second, pooled model (${ID}, valid set)`, value: round(pooled.cpuRate), unit: '/s', target: '≥ 100 /s', met: pooled.cpuRate >= 100 },
    { name: `submit validations/s, pooled model (${ID}, rule broken), wall clock`, value: round(pooledInvalid.rate), unit: '/s' },
    { name: `submit validations per CPU-second, pooled model (${ID}, rule broken)`, value: round(pooledInvalid.cpuRate), unit: '/s' },
    { name: `submit validations/s, fresh model each time (${ID}), wall clock`, value: round(fresh.rate), unit: '/s' },
    { name: `submit validations per CPU-second, fresh model each time (${ID})`, value: round(fresh.cpuRate), unit: '/s' },
    { name: `submit validations per CPU-second, pooled (${ID}, same run as the next line)`, value: round(dynamic.cpuRate), unit: '/s' },
    { name: `submit validations per CPU-second, ${ID} + one matrixdynamic (fresh model each time)`, value: round(dynamicFresh.cpuRate), unit: '/s' },
    { name: `model construction (${ID})`, value: round(1000 / construct.rate, 2), unit: 'ms' },
    { name: `draft validations/s, schema only (${ID})`, value: round(draft.rate), unit: '/s' },
    // Figures on a shared machine are only comparable at a similar load.
    { name: 'load average (1 min) at the end of the run', value: round(os.loadavg()[0], 2), unit: '' },
  ];
}
