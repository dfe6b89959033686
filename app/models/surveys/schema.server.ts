/**
 * The strict answer schema derived from a SurveyJS model: one optional key per stored value,
 * unknown keys, unknown choices and wrong types rejected. "Required" is not part of it; that is
 * survey-core's job on submit (it depends on visibility).
 *
 * What SurveyJS stores, per type (survey-core 3.0.0):
 * - radiogroup/dropdown/buttongroup/imagepicker: one choice value; checkbox/tagbox/ranking and
 *   imagepicker with multiSelect: an array of choice values. "Other" text goes to `<name>-Comment`
 *   (storeOthersAsComment, the default), as does the comment area (showCommentArea).
 * - text: a number when inputType is number/range or a numeric/currency mask, else a string.
 * - matrix: { row: column } (arrays when cellType is checkbox); matrixdropdown: { row: { column: cell } };
 *   matrixdynamic: [{ column: cell }]; column totals go to `<name>-total`.
 * - multipletext: { item: text }; paneldynamic: [{ templateQuestion: value }].
 * - expression: a computed primitive (recomputed on submit, so its stored value is not trusted).
 */
import { settings, type Question } from 'survey-core';
import { z } from 'zod';

/** Question types that never hold a value. */
const NO_VALUE = new Set(['html', 'image', 'empty']);
const SINGLE_CHOICE = new Set(['radiogroup', 'dropdown', 'buttongroup']);
const MULTI_CHOICE = new Set(['checkbox', 'tagbox', 'ranking']);
const NUMERIC_INPUT = new Set(['number', 'range']);
/** Generous cap on free text: stops abuse, never a real answer. */
export const MAX_TEXT = 100_000;

type Primitive = string | number | boolean;

const text = () => z.string().max(MAX_TEXT);
const primitive = () => z.union([z.string().max(MAX_TEXT), z.number(), z.boolean(), z.null()]);

function itemValues(items: unknown): Primitive[] {
  if (!Array.isArray(items)) return [];
  return items.map((i: any) => i?.value).filter((v): v is Primitive => ['string', 'number', 'boolean'].includes(typeof v));
}

/** A schema accepting exactly the given values; an empty list accepts nothing. */
function oneOf(values: Primitive[]): z.ZodType {
  const unique = [...new Set(values)];
  return unique.length ? z.literal(unique) : z.never();
}

/** Whether the question's choices are only known at run time (web service, another question). */
function dynamicChoices(q: any): boolean {
  return Boolean(q.choicesByUrl?.url || q.choicesFromQuestion);
}

/** A dropdown's numbers from `choicesMin` to `choicesMax` by `choicesStep`, as survey-core adds them. */
function generatedChoices(q: any): number[] {
  const [min, max, step] = [Number(q.choicesMin), Number(q.choicesMax), Number(q.choicesStep) || 1];
  if (q.getType?.() !== 'dropdown' || !(max > min) || step <= 0) return [];
  const out: number[] = [];
  for (let v = min; v <= max && out.length < 10_000; v += step) out.push(v);
  return out;
}

/** Every value a choice question may store: its choices plus the special items it shows. */
export function choiceValues(q: any): Primitive[] {
  const values = [...itemValues(q.choices), ...generatedChoices(q)];
  if (q.showOtherItem) values.push(q.otherItem?.value ?? 'other');
  if (q.showNoneItem) values.push(q.noneItem?.value ?? 'none');
  if (q.showRefuseItem) values.push(q.refuseItem?.value ?? 'refused');
  if (q.showDontKnowItem) values.push(q.dontKnowItem?.value ?? 'dontknow');
  return values;
}

function choiceSchema(q: any): z.ZodType {
  // With storeOthersAsComment off, the "other" text is stored in place of the value.
  const freeOther = q.showOtherItem && q.survey && !q.survey.storeOthersAsComment;
  if (dynamicChoices(q) || freeOther) return z.union([text(), z.number()]);
  return oneOf(choiceValues(q));
}

function numberOrString(q: any): z.ZodType {
  const numeric = NUMERIC_INPUT.has(q.inputType) || ['numeric', 'currency'].includes(q.maskType);
  return numeric ? z.number() : text();
}

/** Keys a question adds next to its own value (`-Comment`, `-total`). */
export function companionKeys(q: any, name: string = q.getValueName()): Record<string, z.ZodType> {
  const extra: Record<string, z.ZodType> = {};
  const commentSuffix: string = q.survey?.commentSuffix ?? settings.commentSuffix;
  if (q.showOtherItem || q.showCommentArea || q.hasComment) extra[`${name}${commentSuffix}`] = text();
  if (['matrixdropdown', 'matrixdynamic'].includes(q.getType()) && (q.columns ?? []).some((c: any) => c.totalType && c.totalType !== 'none' || c.totalExpression)) {
    extra[`${name}${settings.matrix.totalsSuffix}`] = z.record(z.string(), primitive());
  }
  return extra;
}

/**
 * Adds a key's schema to a shape. Several questions may store under one key (a shared
 * `valueName`); the key then accepts what any of them stores, as survey-core does.
 */
function addKey(shape: Record<string, z.ZodType>, sources: Map<string, z.ZodType[]>, key: string, schema: z.ZodType) {
  const list = [...(sources.get(key) ?? []), schema];
  sources.set(key, list);
  shape[key] = (list.length === 1 ? list[0] : z.union(list as [z.ZodType, z.ZodType, ...z.ZodType[]])).optional();
}

/** Strict object of the values the given questions store under the given keys (rows, panels). */
function objectOf(entries: { key: string; q: any }[]): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  const sources = new Map<string, z.ZodType[]>();
  for (const { key, q } of entries) {
    const schema = valueSchema(q);
    if (!schema) continue;
    addKey(shape, sources, key, schema);
    for (const [k, s] of Object.entries(companionKeys(q, key))) shape[k] ??= s.optional();
  }
  return z.strictObject(shape);
}

const byValueName = (questions: any[]) => questions.map((q) => ({ key: q.getValueName() as string, q }));

function matrixRowSchema(q: any): z.ZodType {
  // A column's cell template carries the cell type and choices (the matrix's when the column has none).
  const cells = (q.columns ?? []).filter((c: any) => c.templateQuestion).map((c: any) => ({ key: c.name as string, q: c.templateQuestion }));
  const detail = q.detailPanelMode && q.detailPanelMode !== 'none' ? byValueName(q.detailPanel?.questions ?? []) : [];
  return objectOf([...cells, ...detail]);
}

/** The schema of one question's own value, or null when it stores none. */
export function valueSchema(question: Question): z.ZodType | null {
  const q = question as any;
  const type: string = q.getType();
  if (NO_VALUE.has(type)) return null;
  if (SINGLE_CHOICE.has(type)) return choiceSchema(q);
  if (MULTI_CHOICE.has(type)) {
    // With valuePropertyName, each selected value is stored as { [valuePropertyName]: value }.
    const item = q.valuePropertyName ? z.strictObject({ [q.valuePropertyName]: choiceSchema(q) }) : choiceSchema(q);
    return z.array(item).max(10_000);
  }
  switch (type) {
    case 'imagepicker':
      return q.multiSelect ? z.array(choiceSchema(q)) : choiceSchema(q);
    case 'text':
      return numberOrString(q);
    case 'comment':
    case 'signaturepad':
      return text();
    case 'boolean': {
      const yes = q.valueTrue ?? true;
      const no = q.valueFalse ?? false;
      return oneOf([yes, no]);
    }
    case 'rating':
      return oneOf(itemValues(q.visibleRateValues));
    case 'slider':
      return z.union([z.number(), z.tuple([z.number(), z.number()])]);
    case 'expression':
      return primitive();
    case 'matrix': {
      const cell = oneOf(itemValues(q.columns));
      const rows = itemValues(q.rows).map(String);
      const cellValue = q.cellType === 'checkbox' ? z.array(cell) : cell;
      if (rows.length === 0) return cellValue;
      return z.strictObject(Object.fromEntries(rows.map((r) => [r, cellValue.optional()])));
    }
    case 'matrixdropdown': {
      const rows = itemValues(q.rows).map(String);
      const row = matrixRowSchema(q);
      return z.strictObject(Object.fromEntries(rows.map((r) => [r, row.optional()])));
    }
    case 'matrixdynamic':
      return z.array(matrixRowSchema(q)).max(1_000);
    case 'multipletext':
      return objectOf((q.items ?? []).map((item: any) => ({ key: item.name as string, q: item.editor })));
    case 'paneldynamic':
      return z.array(objectOf(byValueName(q.template?.questions ?? []))).max(1_000);
    case 'file':
      return z.array(z.looseObject({ name: z.string().optional(), type: z.string().optional(), content: z.unknown() }));
    default:
      // A type this code does not know (a custom component): accept what it stores.
      return z.unknown();
  }
}

/** The strict schema of a whole answer set from a model's top-level questions. */
export function deriveAnswerSchema(model: { getAllQuestions: (v?: boolean, d?: boolean, n?: boolean) => Question[]; calculatedValues?: any[] }) {
  const shape: Record<string, z.ZodType> = {};
  const sources = new Map<string, z.ZodType[]>();
  for (const q of model.getAllQuestions(false, false, false)) {
    const schema = valueSchema(q);
    if (schema) addKey(shape, sources, q.getValueName(), schema);
    for (const [k, s] of Object.entries(companionKeys(q))) shape[k] ??= s.optional();
  }
  for (const cv of model.calculatedValues ?? []) {
    if (cv.includeIntoResult && cv.name) shape[cv.name] ??= primitive().optional();
  }
  return z.strictObject(shape);
}
