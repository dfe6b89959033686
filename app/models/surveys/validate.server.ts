/**
 * Server-side answer validation: the strict derived schema first (unknown keys, unknown
 * choices, wrong types), then on submit survey-core itself (required, min/max, expression
 * validators such as "costs sum to förbrukat"), on a pooled model.
 *
 * survey-core traps handled here:
 * - `validate(true)` checks every page, not only the current one;
 * - hidden questions keep their values unless cleared, so we clear them (the data returned
 *   on submit never holds answers to questions the respondent could not see);
 * - errors in matrix cells and dynamic panels are only on the nested questions, which
 *   `getAllQuestions(true, false, true)` returns.
 */
import type { Model, Question, SurveyError } from 'survey-core';
import type { z } from 'zod';
import { shapeModel, topQuestion, withPooledModel } from './model.server';
import { deriveAnswerSchema } from './schema.server';
import type { AnswerError, AnswerResult, LoadedSurvey, ValidationMode } from './types.server';
import { serveValidationRequests, validateOnPool } from './validation-pool.server';

const schemas = new WeakMap<LoadedSurvey, z.ZodObject>();

/** The strict answer schema of a survey (cached per survey). */
export function answerSchema(survey: LoadedSurvey): z.ZodObject {
  let schema = schemas.get(survey);
  if (!schema) schemas.set(survey, (schema = deriveAnswerSchema(shapeModel(survey))));
  return schema;
}

const titles = new WeakMap<LoadedSurvey, Map<string, string>>();

/** Swedish title per top-level key (comment keys get their question's title). */
function titleOf(survey: LoadedSurvey, key: string): string {
  let map = titles.get(survey);
  if (!map) {
    map = new Map();
    for (const q of shapeModel(survey).getAllQuestions(false, false, false)) map.set(q.getValueName(), plainTitle(q));
    titles.set(survey, map);
  }
  return map.get(key) ?? map.get(key.replace(/-(Comment|total)$/, '')) ?? key;
}

function plainTitle(q: Question): string {
  return (q.title || q.name).replace(/<[^>]*>/g, '').trim();
}

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v));

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let v = data as any;
  for (const p of path) v = v == null ? undefined : v[p as any];
  return v;
}

const SWEDISH_TYPES: Record<string, string> = {
  number: 'ett tal',
  string: 'en text',
  array: 'en lista med svarsalternativ',
  object: 'ett objekt',
  boolean: 'ja eller nej',
};

/** Turns zod issues into per-question errors. */
function schemaErrors(survey: LoadedSurvey, error: z.ZodError, data: Record<string, unknown>): AnswerError[] {
  const out: AnswerError[] = [];
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : null;
    const where = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        if (key === null) {
          out.push({ question: k, code: 'unknown_key', message: `Frågan ”${k}” finns inte i enkäten.`, detail: `Unknown question key "${k}".` });
        } else {
          out.push({ question: key, code: 'unknown_key', title: titleOf(survey, key), message: `Okänt fält ”${k}” i svaret.`, detail: `Question "${key}": unknown key "${k}" at ${where}.` });
        }
      }
      continue;
    }
    const given = valueAt(data, issue.path);
    const title = key ? titleOf(survey, key) : undefined;
    const allowedTypes = issue.code === 'invalid_value' ? new Set((issue.values as unknown[]).map(typeName)) : undefined;
    if (allowedTypes && !allowedTypes.has(typeName(given))) {
      out.push({
        question: key,
        code: 'wrong_type',
        title,
        message: 'Fel typ av svar: ska vara ett av svarsalternativen.',
        detail: `Question "${key}": expected one of the choices (${[...allowedTypes].join(' or ')}) at ${where}, got ${typeName(given)}.`,
      });
    } else if (issue.code === 'invalid_value') {
      const allowed = (issue.values as unknown[]).map(show).join(', ');
      out.push({
        question: key,
        code: 'unknown_choice',
        title,
        message: `${show(given)} är inte ett av svarsalternativen.`,
        detail: `Question "${key}": ${show(given)} at ${where} is not one of the choices (${allowed || 'none'}).`,
      });
    } else if (issue.code === 'invalid_type') {
      const expected = String(issue.expected);
      out.push({
        question: key,
        code: 'wrong_type',
        title,
        message: `Fel typ av svar: ska vara ${SWEDISH_TYPES[expected] ?? expected}.`,
        detail: `Question "${key}": expected ${expected} at ${where}, got ${typeName(given)}.`,
      });
    } else if (issue.code === 'too_big') {
      out.push({ question: key, code: 'too_long', title, message: 'Svaret är för långt.', detail: `Question "${key}": value at ${where} is too long.` });
    } else {
      out.push({ question: key, code: 'invalid_value', title, message: 'Ogiltigt svar.', detail: `Question "${key}": ${issue.message} at ${where}.` });
    }
  }
  return out;
}

const CORE_CODES: Record<string, string> = {
  required: 'required',
  requireoneanswer: 'required',
  requiredinallrowserror: 'required',
  otherempty: 'required',
  custom: 'rule',
};

const CORE_DETAIL: Record<string, string> = {
  required: 'an answer is required',
  requireoneanswer: 'answer at least one question',
  requiredinallrowserror: 'answer every row',
  otherempty: 'describe the "other" answer',
  requirenumeric: 'the value must be numeric',
  eachrowuniqueeerror: 'each row must have a unique value',
  minrowcounterror: 'too few rows',
  keyduplicationerror: 'the value must be unique',
  patternincompleteerror: 'the value does not match the format',
};

/** For a failed expression validator, the expression that was false (for the English detail). */
function failedExpression(q: Question, text: string): string | undefined {
  for (const v of (q as any).validators ?? []) {
    if (v.getType?.() === 'expressionvalidator' && v.text === text) return v.expression;
  }
  return undefined;
}

/** Where a nested question sits in its top question: "row resor, column belopp", "panel 2, namn". */
function nestedWhere(q: Question, top: Question): string {
  if (q === top) return '';
  const rowModel = (q as any).data;
  if (rowModel?.rowName !== undefined && top.getType().startsWith('matrix')) {
    // A dynamic matrix's rows have internal ids (srow_0): name the row number the respondent sees.
    const index = top.getType() === 'matrixdynamic' ? ((top as any).visibleRows ?? []).indexOf(rowModel) : -1;
    return ` (row ${index >= 0 ? index + 1 : rowModel.rowName}, column ${q.name})`;
  }
  const panels: unknown[] | undefined = (top as any).panels;
  const index = panels ? panels.indexOf(q.parent) : -1;
  return index >= 0 ? ` (panel ${index + 1}, ${q.name})` : ` (in ${q.name})`;
}

type CoreError = AnswerError & { refs: string[] };

function coreError(q: Question, e: SurveyError): CoreError {
  const top = topQuestion(q);
  const key = top.getValueName();
  const type = e.getErrorType();
  const text = e.getText();
  const expression = type === 'custom' ? failedExpression(q, text) : undefined;
  const reason = expression ? `rule ${expression} is false` : (CORE_DETAIL[type] ?? type);
  return {
    question: key,
    code: CORE_CODES[type] ?? 'invalid_value',
    title: plainTitle(top),
    message: text,
    detail: `Question "${key}"${nestedWhere(q, top)}: ${reason}.${expression ? ` (${text})` : ''}`,
    refs: expression ? [...expression.matchAll(/\{([^{}.[]+)/g)].map((m) => m[1].trim()) : [],
  };
}

/**
 * Clears answers to hidden questions, as survey-core does on completion. Repeated because
 * clearing one answer can hide a question earlier in the form; clearing only ever removes keys.
 */
function clearHidden(model: Model) {
  const keyCount = () => Object.keys(model.data).length;
  let before = keyCount();
  for (let round = 0; round < 5; round++) {
    for (const q of model.getAllQuestions(false, false, false)) if (mayHoldHiddenValues(q)) q.clearValueIfInvisible('onComplete');
    const after = keyCount();
    if (after === before) return;
    before = after;
  }
}

/**
 * Whether clearing could remove something: the question is hidden, it holds nested questions
 * (matrix, dynamic panel), or its choices change with the answers. For a visible plain question
 * clearValueIfInvisible does nothing but re-check its choices, which is most of its cost.
 */
function mayHoldHiddenValues(q: Question): boolean {
  if (q.isEmpty()) return false;
  if (!q.isVisibleInSurvey) return true;
  const any = q as any;
  return /^(matrix|paneldynamic|multipletext)/.test(q.getType()) || Boolean(any.choicesVisibleIf || any.choicesEnableIf || any.choicesFromQuestion || any.choicesByUrl?.url);
}

/** Runs survey-core validation on a clean answer set; returns its errors and the cleaned data. */
export function coreValidate(survey: LoadedSurvey, data: Record<string, unknown>) {
  return withPooledModel(survey, (model) => {
    model.data = structuredClone(data);
    clearHidden(model);
    model.validate(true);
    const errors: CoreError[] = [];
    for (const q of model.getAllQuestions(true, false, true)) for (const e of q.errors) errors.push(coreError(q, e));
    for (const p of model.getAllPanels(true)) {
      for (const e of (p as any).errors ?? []) {
        errors.push({ question: null, code: CORE_CODES[e.getErrorType()] ?? 'invalid_value', message: e.getText(), detail: `Panel "${p.name}": ${CORE_DETAIL[e.getErrorType()] ?? e.getErrorType()}.`, refs: [] });
      }
    }
    return { errors, data: model.data as Record<string, unknown> };
  });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates an answer set.
 * - `draft`: the strict schema only (unknown keys, unknown choices, wrong types); nothing is required.
 * - `partial`: the same checks, for the keys present (historical imports, prefill from last year).
 * - `submit`: the schema, then survey-core on every page (required, min/max, expression rules).
 *   The returned data has hidden questions' answers removed and computed values recomputed.
 */
export function validateAnswers(survey: LoadedSurvey, data: unknown, mode: ValidationMode): AnswerResult {
  const stage = schemaStage(survey, data, mode);
  return 'ok' in stage ? stage : coreStage(stage, coreValidate(survey, stage.clean));
}

/**
 * `validateAnswers(survey, data, 'submit')` with the survey-core part on a validation worker
 * when the server started them (validation-pool.server.ts), so the main thread stays free;
 * inline otherwise, or if the worker fails. The result is the same either way, for the files
 * and for versions stored in the database (the worker is sent those it lacks).
 */
export async function validateSubmission(survey: LoadedSurvey, data: unknown): Promise<AnswerResult> {
  const stage = schemaStage(survey, data, 'submit');
  if ('ok' in stage) return stage;
  return coreStage(stage, await validateOnPool<CoreResult>(survey, stage.clean, () => coreValidate(survey, stage.clean)));
}

/**
 * In a validation worker thread: builds a model for every built-in survey, then answers the
 * main thread's survey-core validations (other versions come with their first request).
 * @example if (isValidationWorker()) serveCoreValidation(getSurveys())
 */
export function serveCoreValidation(surveys: LoadedSurvey[]): void {
  serveValidationRequests(coreValidate, surveys, () => surveys.forEach((survey) => coreValidate(survey, {})));
}

type CoreResult = ReturnType<typeof coreValidate>;
type SchemaStage = AnswerResult | { errors: AnswerError[]; failed: Set<string | null>; clean: Record<string, unknown> };

/** The strict schema; for submit, also the answers survey-core should see. */
function schemaStage(survey: LoadedSurvey, data: unknown, mode: ValidationMode): SchemaStage {
  if (!isPlainObject(data)) {
    return { ok: false, errors: [{ question: null, code: 'not_object', message: 'Svaren kunde inte läsas.', detail: 'Answers must be a JSON object of question keys.' }] };
  }
  const schema = answerSchema(survey);
  const parsed = schema.safeParse(data);
  const errors = parsed.success ? [] : schemaErrors(survey, parsed.error, data);
  if (mode !== 'submit') return errors.length ? { ok: false, errors } : { ok: true, data: parsed.data as Record<string, unknown> };

  // Keys that failed the schema are left out of survey-core's run, and so are its errors for
  // them and its rules that read them (förbrukat ≤ beviljat says nothing when beviljat was text).
  const failed = new Set(errors.map((e) => e.question));
  const clean = Object.fromEntries(Object.entries(data).filter(([k]) => !failed.has(k) && k in schema.shape));
  return { errors, failed, clean };
}

function coreStage({ errors, failed }: { errors: AnswerError[]; failed: Set<string | null> }, core: CoreResult): AnswerResult {
  for (const { refs, ...e } of core.errors) if (!failed.has(e.question) && !refs.some((r) => failed.has(r))) errors.push(e);
  return errors.length ? { ok: false, errors } : { ok: true, data: core.data };
}
