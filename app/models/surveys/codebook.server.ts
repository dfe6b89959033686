/**
 * The codebook of a survey: one entry per stored key, in form order, with the Swedish question
 * text, the SurveyJS type, a coarse kind for analysis, and the value → label lists. "Other" and
 * comment texts get their own `<key>-Comment` entries (commentOf names the question).
 */
import { settings, type Question } from 'survey-core';
import { shapeModel } from './model.server';
import type { CodebookEntry, CodebookOption, LoadedSurvey } from './types.server';

const strip = (s: string) => s.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();

function options(items: unknown): CodebookOption[] {
  if (!Array.isArray(items)) return [];
  return items.map((i: any) => ({ value: String(i.value), label: strip(String(i.text ?? i.value)) }));
}

/** Choices plus the special items (other, none, refuse, don't know) the question shows. */
function choiceOptions(q: any): CodebookOption[] {
  const list = options(q.choices);
  for (const [flag, item] of [
    ['showOtherItem', 'otherItem'],
    ['showNoneItem', 'noneItem'],
    ['showRefuseItem', 'refuseItem'],
    ['showDontKnowItem', 'dontKnowItem'],
  ] as const) {
    if (q[flag] && q[item]) list.push({ value: String(q[item].value), label: strip(String(q[item].text)) });
  }
  return list;
}

function kindOf(q: any): CodebookEntry['kind'] {
  const type: string = q.getType();
  if (['radiogroup', 'dropdown', 'buttongroup'].includes(type)) return 'single';
  if (['checkbox', 'tagbox', 'ranking'].includes(type)) return 'multiple';
  if (type === 'imagepicker') return q.multiSelect ? 'multiple' : 'single';
  if (type === 'text') return ['number', 'range'].includes(q.inputType) || ['numeric', 'currency'].includes(q.maskType) ? 'numeric' : 'text';
  if (type === 'comment') return 'text';
  if (type === 'rating' || type === 'slider') return 'numeric';
  if (type === 'boolean') return 'boolean';
  if (type.startsWith('matrix')) return 'matrix';
  if (type === 'expression') return 'computed';
  return 'other';
}

function columnsOf(q: any): CodebookEntry['columns'] {
  if (q.getType() === 'matrix') return options(q.columns).map((c) => ({ name: c.value, label: c.label, kind: 'single' }));
  return (q.columns ?? []).map((c: any) => {
    const cell = c.templateQuestion;
    const opts = cell && Array.isArray(cell.choices) && cell.choices.length ? choiceOptions(cell) : undefined;
    return { name: String(c.name), label: strip(String(c.title ?? c.name)), kind: cell ? kindOf(cell) : 'other', ...(opts ? { options: opts } : {}) };
  });
}

function entryFor(survey: LoadedSurvey, q: Question, page: string): CodebookEntry {
  const anyQ = q as any;
  const kind = kindOf(anyQ);
  const type = q.getType();
  const entry: CodebookEntry = {
    key: q.getValueName(),
    text: strip(q.title || q.name),
    type,
    kind,
    options: null,
    page,
    surveyId: survey.meta.id,
    required: q.isRequired,
  };
  if (kind === 'single' || kind === 'multiple') entry.options = choiceOptions(anyQ);
  else if (type === 'rating') entry.options = options(anyQ.visibleRateValues);
  else if (type === 'boolean') entry.options = [{ value: String(anyQ.valueTrue ?? true), label: strip(anyQ.labelTrue || 'Ja') }, { value: String(anyQ.valueFalse ?? false), label: strip(anyQ.labelFalse || 'Nej') }];
  if (type === 'matrix' || type === 'matrixdropdown') entry.rows = options(anyQ.rows);
  if (kind === 'matrix') entry.columns = columnsOf(anyQ);
  if (type === 'matrix') entry.options = options(anyQ.columns);
  return entry;
}

const codebooks = new WeakMap<LoadedSurvey, CodebookEntry[]>();

export function getCodebook(survey: LoadedSurvey): CodebookEntry[] {
  const cached = codebooks.get(survey);
  if (cached) return cached;
  const model = shapeModel(survey);
  const entries: CodebookEntry[] = [];
  const seen = new Set<string>();
  for (const page of model.pages) {
    for (const q of page.questions) {
      if (['html', 'image'].includes(q.getType())) continue;
      const entry = entryFor(survey, q, page.name);
      if (seen.has(entry.key)) continue; // two questions sharing a valueName store one value
      seen.add(entry.key);
      entries.push(entry);
      const anyQ = q as any;
      if (anyQ.showOtherItem || anyQ.showCommentArea) {
        const label = anyQ.showOtherItem ? strip(String(anyQ.otherItem?.text ?? 'Annat')) : 'Kommentar';
        entries.push({
          key: `${entry.key}${settings.commentSuffix}`,
          text: `${entry.text} – ${label}`,
          type: 'comment',
          kind: 'text',
          options: null,
          page: page.name,
          surveyId: survey.meta.id,
          required: false,
          commentOf: entry.key,
        });
      }
    }
  }
  codebooks.set(survey, entries);
  return entries;
}
