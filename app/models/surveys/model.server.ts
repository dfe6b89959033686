/**
 * survey-core models on the server. Building a model from a 40–60 question JSON costs tens of
 * milliseconds, so validation borrows models from a small pool per survey instead of building
 * one per request. Validation is synchronous, so one model per survey is normally enough; the
 * pool only grows if a borrow happens while another is out (re-entrancy).
 */
import { Model, type Question } from 'survey-core';
import { SURVEY_LOCALE } from '~/utils/survey-locale';
import type { LoadedSurvey } from './types.server';

/** A fresh model with Swedish messages. */
export function createModel(json: unknown): Model {
  const model = new Model(json as object);
  model.locale = SURVEY_LOCALE;
  return model;
}

/**
 * The survey JSON as validation needs it: display-only settings that cost time on every data
 * change are dropped (an expression's currency formatting builds an Intl.NumberFormat each time).
 */
export function validationJson(json: Record<string, unknown>): Record<string, unknown> {
  const DISPLAY_ONLY = ['displayStyle', 'currency', 'format', 'maximumFractionDigits', 'minimumFractionDigits', 'useGrouping'];
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    const isExpression = (v as Record<string, unknown>).type === 'expression';
    for (const [k, val] of Object.entries(v)) if (!(isExpression && DISPLAY_ONLY.includes(k))) out[k] = strip(val);
    return out;
  };
  return strip(json) as Record<string, unknown>;
}

/**
 * A model for server validation. When no choice list depends on the answers, survey-core's
 * "clear values that are not among the choices" pass is switched off: the strict schema has
 * already rejected unknown choices, and the pass is a good part of each validation's cost.
 */
function validationModel(json: Record<string, unknown>): Model {
  const model = createModel(json);
  const dynamicChoices = /"(choicesVisibleIf|choicesEnableIf|choicesFromQuestion|choicesByUrl|rowsVisibleIf|columnsVisibleIf)"/.test(JSON.stringify(json));
  if (!dynamicChoices) model.keepIncorrectValues = true;
  return model;
}

const POOL_SIZE = 4;
const validationJsons = new WeakMap<LoadedSurvey, Record<string, unknown>>();
const pools = new WeakMap<LoadedSurvey, Model[]>();
const shapes = new WeakMap<LoadedSurvey, Model>();

/**
 * Runs `fn` with a pooled model for the survey. `fn` must replace the model's data first
 * (`model.data = …` resets every value, comment and computed value); a model is not cleared
 * on return because `clear()` costs more than a whole validation.
 */
export function withPooledModel<T>(survey: LoadedSurvey, fn: (model: Model) => T): T {
  let pool = pools.get(survey);
  if (!pool) pools.set(survey, (pool = []));
  let json = validationJsons.get(survey);
  if (!json) validationJsons.set(survey, (json = validationJson(survey.json)));
  const model = pool.pop() ?? validationModel(json);
  let healthy = false;
  try {
    const result = fn(model);
    healthy = true;
    return result;
  } finally {
    // A model whose use threw may be half-updated: drop it rather than reuse it.
    if (healthy && pool.length < POOL_SIZE) pool.push(model);
  }
}

/**
 * A model kept only for reading the survey's structure (questions, choices, titles). Never
 * give it data.
 */
export function shapeModel(survey: LoadedSurvey): Model {
  let model = shapes.get(survey);
  if (!model) shapes.set(survey, (model = createModel(survey.json)));
  return model;
}

/** The top-level question that owns a (possibly nested) question: matrix cell → matrix. */
export function topQuestion(q: Question): Question {
  let current = q;
  for (let i = 0; i < 10 && current.parentQuestion; i++) current = current.parentQuestion;
  return current;
}
