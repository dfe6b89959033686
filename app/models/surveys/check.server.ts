/**
 * Checks a survey file before anything uses it: our files (meta + survey) and any plain
 * SurveyJS JSON (checked as a form only). Errors make a file unusable; warnings do not.
 *
 * Form checks: survey-core loads it without JSON errors; every element type is registered;
 * question names are unique within their container (the survey, a matrix, a dynamic panel);
 * choice, row and column values are unique; expressions refer to questions that exist; the
 * answer schema can be derived. Our files also follow our conventions (ASCII keys, no web
 * choices or uploads) and stay consistent within their family: a key keeps its type in every
 * year, and choices are only ever added.
 */
import { Serializer, type Model, type Question } from 'survey-core';
import { externalMediaWarnings } from './external-media.server';
import { createModel } from './model.server';
import { choiceValues, deriveAnswerSchema } from './schema.server';
import { formatIssues, surveyFileSchema, type LoadedSurvey, type SurveyMeta } from './types.server';

export interface CheckResult {
  errors: string[];
  warnings: string[];
}

const KEY = /^[a-z][a-z0-9_]*$/;
const VALUE = /^[a-z0-9][a-z0-9_]*$/;
const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether the JSON is one of our files ({ meta, survey }) rather than a plain SurveyJS JSON. */
export function isOurFormat(json: unknown): json is { meta: unknown; survey: unknown } {
  return isObject(json) && 'meta' in json && 'survey' in json;
}

/** Every element object in the raw JSON (pages' elements/questions, panels, dynamic panel templates). */
export function rawElements(json: Record<string, any>): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  const visit = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const el of list) {
      if (!isObject(el)) continue;
      out.push(el);
      visit(el.elements);
      visit(el.questions);
      visit(el.templateElements);
    }
  };
  for (const page of Array.isArray(json.pages) ? json.pages : []) {
    if (isObject(page)) {
      visit(page.elements);
      visit(page.questions);
    }
  }
  visit(json.elements);
  visit(json.questions);
  return out;
}

/** Properties holding expressions whose {references} must name existing values. */
const EXPRESSION_PROPS = /^(visibleIf|enableIf|requiredIf|resetValueIf|setValueIf|setValueExpression|expression|defaultValueExpression|choicesVisibleIf|choicesEnableIf|rowsVisibleIf|columnsVisibleIf|minValueExpression|maxValueExpression|totalExpression)$/;
const CONTEXT_REFS = /^(row|panel|item|choice|parentpanel|rowindex|visiblerowindex|panelindex|visiblepanelindex|itemindex|rowname|rowtitle|rowvalue|composite|self|\$.*)$/i;

function expressionRefs(json: unknown): { prop: string; expression: string; ref: string }[] {
  const out: { prop: string; expression: string; ref: string }[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isObject(v)) return;
    for (const [k, val] of Object.entries(v)) {
      if (typeof val === 'string' && EXPRESSION_PROPS.test(k)) {
        for (const m of val.matchAll(/\{([^{}]+)\}/g)) out.push({ prop: k, expression: val, ref: m[1].trim() });
      } else visit(val);
    }
  };
  visit(json);
  return out;
}

function duplicates<T>(values: T[]): T[] {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

function label(q: Question): string {
  const parent = q.parentQuestion;
  return parent ? `"${parent.name}" → "${q.name}"` : `"${q.name}"`;
}

/** The value lists a question defines: choices, rows, columns, rate values, items. */
function valueLists(q: any): { what: string; values: unknown[] }[] {
  const lists: { what: string; values: unknown[] }[] = [];
  const vals = (items: unknown) => (Array.isArray(items) ? items.map((i: any) => (isObject(i) && 'value' in i ? i.value : i?.name)) : []);
  if (Array.isArray(q.choices) && q.choices.length) lists.push({ what: 'choice', values: vals(q.choices) });
  if (Array.isArray(q.rows) && q.rows.length && q.getType() !== 'matrixdynamic') lists.push({ what: 'row', values: vals(q.rows) });
  if (q.getType().startsWith('matrix') && Array.isArray(q.columns) && q.columns.length) lists.push({ what: 'column', values: q.getType() === 'matrix' ? vals(q.columns) : q.columns.map((c: any) => c.name) });
  if (Array.isArray(q.rateValues) && q.rateValues.length) lists.push({ what: 'rate value', values: vals(q.rateValues) });
  if (q.getType() === 'multipletext' && Array.isArray(q.items) && q.items.length) lists.push({ what: 'item', values: q.items.map((i: any) => i.name) });
  return lists;
}

/** Checks the SurveyJS JSON as a form. `ours` adds our conventions. */
function checkForm(json: unknown, ours: boolean): CheckResult & { model?: Model } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const strictOr = (msg: string) => (ours ? errors : warnings).push(msg);
  if (!isObject(json)) return { errors: ['the survey must be a JSON object'], warnings };

  for (const el of rawElements(json)) {
    const name = typeof el.name === 'string' ? ` "${el.name}"` : '';
    if (typeof el.type !== 'string') errors.push(`element${name} has no type`);
    else if (!Serializer.findClass(el.type)) errors.push(`element${name} has unknown type "${el.type}"`);
    else if (ours && ['file', 'signaturepad'].includes(el.type)) errors.push(`element${name}: type "${el.type}" is not allowed in our surveys (no uploads)`);
    if (el.choicesByUrl) strictOr(`element${name} loads its choices from a web service (choicesByUrl)`);
  }
  warnings.push(...externalMediaWarnings(json, rawElements(json)));

  let model: Model;
  try {
    model = createModel(json);
  } catch (e) {
    errors.push(`survey-core cannot load the JSON: ${(e as Error).message}`);
    return { errors, warnings };
  }
  for (const e of model.jsonErrors ?? []) {
    const owner = (e.element as any)?.name ? ` (in "${(e.element as any).name}")` : '';
    errors.push(`survey-core: ${e.message}${owner}`);
  }

  // A dynamic panel's questions are checked once, in its template: getAllQuestions also returns
  // a copy per panel (panelCount ≥ 2 would look like duplicate names), and none without panels.
  const all = model.getAllQuestions(false, true, true).filter((q) => q.parentQuestion?.getType() !== 'paneldynamic');
  for (let i = 0; i < all.length; i++) {
    const template = (all[i] as any).getType() === 'paneldynamic' ? ((all[i] as any).template?.questions ?? []) : [];
    for (const t of template) if (!all.includes(t)) all.push(t);
  }
  if (all.length === 0) strictOr('the survey has no questions');

  // Names must be unique where they share a namespace: the survey, or one matrix/dynamic panel.
  // Matrix cells repeat their column per row; column and item names are checked as value lists.
  const groups = new Map<Question | null, Question[]>();
  for (const q of all) {
    if (/^(matrix|multipletext)/.test(q.parentQuestion?.getType() ?? '')) continue;
    const parent = q.parentQuestion ?? null;
    groups.set(parent, [...(groups.get(parent) ?? []), q]);
  }
  for (const [parent, qs] of groups) {
    for (const name of duplicates(qs.map((q) => q.name))) {
      errors.push(`duplicate question name "${name}"${parent ? ` in "${parent.name}"` : ''}`);
    }
  }
  const top = groups.get(null) ?? [];
  const valueNames = top.filter((q) => (q as any).valueName).map((q) => q.getValueName());
  for (const name of duplicates(valueNames)) warnings.push(`several questions store their value under "${name}" (valueName)`);
  for (const name of duplicates(model.getAllPanels(false, true).map((p) => p.name).concat(model.pages.map((p) => p.name)).filter(Boolean))) {
    strictOr(`duplicate page or panel name "${name}"`);
  }

  for (const q of all) {
    for (const { what, values } of valueLists(q)) {
      for (const v of duplicates(values.map((v) => String(v)))) errors.push(`question ${label(q)}: duplicate ${what} value "${v}"`);
      if (ours) for (const v of values) if (!VALUE.test(String(v))) errors.push(`question ${label(q)}: ${what} value "${v}" is not a lowercase ASCII key`);
    }
    if (ours && !KEY.test(q.name)) errors.push(`question name "${q.name}" is not a lowercase ASCII key`);
  }

  // A choice question with no choice at all can never be answered (the schema takes no value).
  for (const q of all as any[]) {
    const choiceType = /^(radiogroup|dropdown|buttongroup|checkbox|tagbox|ranking|imagepicker)$/.test(q.getType());
    if (choiceType && !q.choicesByUrl?.url && !q.choicesFromQuestion && choiceValues(q).length === 0) warnings.push(`question ${label(q)} has no choices, so it can never be answered`);
  }

  // Expressions must refer to values that exist (a typo silently hides a question for ever).
  const known = new Set<string>(all.map((q) => q.getValueName().toLowerCase()));
  for (const cv of (model as any).calculatedValues ?? []) known.add(String(cv.name).toLowerCase());
  for (const q of all) {
    for (const item of (q as any).items ?? []) if (item?.name) known.add(`${q.getValueName()}.${item.name}`.toLowerCase());
  }
  const reported = new Set<string>();
  for (const { prop, expression, ref } of expressionRefs(json)) {
    const base = ref.split(/[.[]/)[0].replace(/-(comment|total)$/i, '').trim().toLowerCase();
    if (!base || CONTEXT_REFS.test(base) || known.has(base) || reported.has(base)) continue;
    reported.add(base);
    strictOr(`${prop} "${expression}" refers to {${ref}}, which is not a question in the survey`);
  }
  if (ours && json.locale !== 'sv') warnings.push('the survey locale should be "sv"');

  try {
    deriveAnswerSchema(model);
  } catch (e) {
    errors.push(`cannot derive the answer schema: ${(e as Error).message}`);
  }
  return { errors: [...new Set(errors)], warnings: [...new Set(warnings)], model };
}

interface KeyProfile {
  type: string;
  numeric: boolean;
  lists: Map<string, Map<string, string>>;
}

/** For each top-level key: its type and value → label lists (choices, rows, columns). */
function keyProfiles(model: Model): Map<string, KeyProfile> {
  const map = new Map<string, KeyProfile>();
  for (const q of model.getAllQuestions(false, false, false) as any[]) {
    if (['html', 'image'].includes(q.getType())) continue;
    const lists = new Map<string, Map<string, string>>();
    const add = (what: string, items: unknown) => {
      if (!Array.isArray(items) || !items.length) return;
      lists.set(what, new Map(items.map((i: any) => [String(i.value ?? i.name), String(i.text ?? i.title ?? i.value ?? i.name)])));
    };
    add('choice', q.choices);
    for (const [flag, item] of [['showOtherItem', 'otherItem'], ['showNoneItem', 'noneItem'], ['showRefuseItem', 'refuseItem'], ['showDontKnowItem', 'dontKnowItem']]) {
      if (q[flag] && q[item]) lists.set('choice', new Map([...(lists.get('choice') ?? []), [String(q[item].value), String(q[item].text)]]));
    }
    if (q.getType() !== 'matrixdynamic') add('row', q.rows);
    add('column', q.getType() === 'matrix' ? q.columns : (q.columns ?? []).map((c: any) => ({ value: c.name, text: c.title })));
    add('item', (q.getType() === 'multipletext' ? (q.items ?? []) : []).map((i: any) => ({ value: i.name, text: i.title })));
    const numeric = ['number', 'range'].includes(q.inputType) || ['numeric', 'currency'].includes(q.maskType);
    map.set(q.getValueName(), { type: q.getType(), numeric, lists });
  }
  return map;
}

const peerProfiles = new WeakMap<LoadedSurvey, Map<string, KeyProfile>>();

function profilesOf(peer: LoadedSurvey): Map<string, KeyProfile> {
  let profiles = peerProfiles.get(peer);
  if (!profiles) peerProfiles.set(peer, (profiles = keyProfiles(createModel(peer.json))));
  return profiles;
}

/** A key keeps its type in every version; an older version's values all exist in a newer one. */
function checkFamily(meta: SurveyMeta, model: Model, peers: LoadedSurvey[]): CheckResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const mine = keyProfiles(model);
  for (const peer of peers) {
    if (peer.meta.family !== meta.family || peer.meta.id === meta.id) continue;
    if (peer.meta.year === meta.year) errors.push(`family "${meta.family}" already has a version for ${meta.year}: ${peer.meta.id}`);
    let theirs: Map<string, KeyProfile>;
    try {
      theirs = profilesOf(peer);
    } catch {
      continue; // the peer's own check reports it
    }
    const [older, newer, olderId, newerId] = peer.meta.year < meta.year ? [theirs, mine, peer.meta.id, meta.id] : [mine, theirs, meta.id, peer.meta.id];
    for (const [key, a] of older) {
      const b = newer.get(key);
      if (!b) continue;
      if (a.type !== b.type || a.numeric !== b.numeric) {
        const t = (p: KeyProfile) => `${p.type}${p.numeric ? ' (number)' : ''}`;
        errors.push(`key "${key}" is ${t(a)} in ${olderId} but ${t(b)} in ${newerId}: a key must keep its type within the family`);
        continue;
      }
      for (const [what, values] of a.lists) {
        const newValues = b.lists.get(what) ?? new Map<string, string>();
        for (const [value, text] of values) {
          if (!newValues.has(value)) errors.push(`key "${key}": ${what} "${value}" of ${olderId} is missing in ${newerId}: values may only be added within a family`);
          else if (newValues.get(value) !== text) warnings.push(`key "${key}": ${what} "${value}" is labelled "${text}" in ${olderId} but "${newValues.get(value)}" in ${newerId}`);
        }
      }
    }
  }
  return { errors, warnings };
}

/**
 * Checks a survey JSON: ours ({ meta, survey }) fully, including family consistency with
 * `familyPeers`; anything else as a SurveyJS form only.
 */
export function checkSurveyJson(json: unknown, opts: { familyPeers?: LoadedSurvey[] } = {}): CheckResult {
  if (!isOurFormat(json)) {
    const { errors, warnings } = checkForm(json, false);
    return { errors, warnings };
  }
  const errors: string[] = [];
  const warnings: string[] = [];
  const file = surveyFileSchema.safeParse(json);
  if (!file.success) errors.push(...formatIssues(file.error).map((m) => (m.startsWith('meta') || m.startsWith('survey') ? m : `file: ${m}`)));
  const form = checkForm(json.survey, true);
  errors.push(...form.errors.map((e) => `survey: ${e}`));
  warnings.push(...form.warnings.map((w) => `survey: ${w}`));
  if (file.success && form.model) {
    // Prefill names questions of this form: a typo would silently carry nothing over.
    const prefill = file.data.meta.prefill;
    for (const key of [...(prefill?.keys ?? []), ...(prefill?.ledger ? [prefill.ledger.allocated] : [])])
      if (!form.model.getQuestionByName(key)) errors.push(`meta.prefill: "${key}" is not a question of this survey`);
  }
  if (file.success && form.model && opts.familyPeers) {
    const family = checkFamily(file.data.meta, form.model, opts.familyPeers);
    errors.push(...family.errors.map((e) => `family: ${e}`));
    warnings.push(...family.warnings.map((w) => `family: ${w}`));
  }
  return { errors, warnings };
}
