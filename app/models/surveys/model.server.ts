/**
 * survey-core models on the server. Building a model from a 40–60 question JSON costs tens of
 * milliseconds, so validation borrows models from a small pool per survey instead of building
 * one per request. Validation is synchronous, so one model per survey is normally enough; the
 * pool only grows if a borrow happens while another is out (re-entrancy).
 *
 * A reused model must give the verdict a fresh one gives. `model.data = …` resets values, but
 * a dynamic matrix or dynamic panel keeps the row or panel count the previous data gave it (after
 * `[]`, a matrix with `rowCount: 2` has 0 rows and `{}` no longer fails "required"), and neither
 * `clearValue()` nor setting the count back restores a fresh model's state (both leave `[]`).
 * So forms with a matrixdynamic or paneldynamic anywhere get a fresh model for every
 * validation (none of the shipped surveys has one); the others are pooled.
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

/** Forms whose questions keep state across `model.data = …` (see the top of this file). */
const STATEFUL = /"type"\s*:\s*"(matrixdynamic|paneldynamic)"/i;

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
/** Per survey: the validation JSON (parsed and stripped once) and whether models may be reused. */
const validationJsons = new WeakMap<LoadedSurvey, { json: Record<string, unknown>; poolable: boolean }>();
const pools = new WeakMap<LoadedSurvey, Model[]>();
const shapes = new WeakMap<LoadedSurvey, Model>();

function validationJsonOf(survey: LoadedSurvey) {
  let entry = validationJsons.get(survey);
  if (!entry) {
    const json = validationJson(survey.json);
    validationJsons.set(survey, (entry = { json, poolable: !STATEFUL.test(JSON.stringify(json)) }));
  }
  return entry;
}

/** Whether the survey's validations reuse pooled models (false: a fresh model each time). */
export function usesPooledModels(survey: LoadedSurvey): boolean {
  return validationJsonOf(survey).poolable;
}

/**
 * Runs `fn` with a model for the survey that behaves as a fresh one: pooled, or built for this
 * call when the form keeps state between answer sets. `fn` must replace the model's data first
 * (`model.data = …` resets every value, comment and computed value); a pooled model is not
 * cleared on return because `clear()` costs more than a whole validation.
 */
export function withPooledModel<T>(survey: LoadedSurvey, fn: (model: Model) => T): T {
  const { json, poolable } = validationJsonOf(survey);
  if (!poolable) return fn(validationModel(json));
  let pool = pools.get(survey);
  if (!pool) pools.set(survey, (pool = []));
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
