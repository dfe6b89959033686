/**
 * Compares a survey version with the previous version of its family, key by key, and says what
 * each change does to trends and comparisons. A breaking change (a key that changes type, a
 * value that is removed or recoded) blocks publishing unless the administrator renames the key
 * (then it is a new question, and the old one ends) or confirms it with a reason.
 */
import { getCodebook } from './codebook.server';
import type { CodebookEntry, CodebookOption, LoadedSurvey } from './types.server';

export type ChangeKind =
  | 'question_added'
  | 'question_removed'
  | 'text_changed'
  | 'type_changed'
  | 'choice_added'
  | 'choice_removed'
  | 'choice_recoded'
  | 'choice_label_changed'
  | 'unchanged';

export interface SurveyChange {
  kind: ChangeKind;
  /** The top-level key (question name, or its valueName). */
  key: string;
  /** For choice changes: the list (choice, row, column) and the value. */
  list?: 'choice' | 'row' | 'column';
  value?: string;
  /** For recodes: the new value that took the old one's label. */
  newValue?: string;
  before?: string;
  after?: string;
  /** Blocks publishing unless confirmed with a reason. */
  breaking: boolean;
  /** Swedish: what the change does to trends and comparisons. */
  effect: string;
  /** English, for the CLI. */
  detail: string;
}

export interface SurveyDiff {
  /** The version compared with; null when this is the family's first version. */
  previousId: string | null;
  changes: SurveyChange[];
  breaking: SurveyChange[];
}

const LIST_SV = { choice: 'svarsalternativ', row: 'rad', column: 'kolumn' } as const;

function lists(e: CodebookEntry): Map<'choice' | 'row' | 'column', CodebookOption[]> {
  const out = new Map<'choice' | 'row' | 'column', CodebookOption[]>();
  if (e.type === 'matrix') {
    if (e.rows?.length) out.set('row', e.rows);
    if (e.options?.length) out.set('column', e.options);
    return out;
  }
  if (e.options?.length && e.type !== 'boolean' && e.type !== 'rating') out.set('choice', e.options);
  if (e.rows?.length) out.set('row', e.rows);
  if (e.columns?.length && e.type !== 'matrix') out.set('column', e.columns.map((c) => ({ value: c.name, label: c.label })));
  return out;
}

/** Numeric text fields count as their own type: a number stored as text does not compare. */
const typeOf = (e: CodebookEntry) => (e.kind === 'numeric' && e.type === 'text' ? 'text (tal)' : e.type);

function compareLists(key: string, list: 'choice' | 'row' | 'column', before: CodebookOption[], after: CodebookOption[], prevYear: number): SurveyChange[] {
  const out: SurveyChange[] = [];
  const afterBy = new Map(after.map((o) => [o.value, o]));
  const beforeBy = new Map(before.map((o) => [o.value, o]));
  const removed = before.filter((o) => !afterBy.has(o.value));
  const added = after.filter((o) => !beforeBy.has(o.value));
  const sv = LIST_SV[list];
  for (const o of removed) {
    // Same label under a new value: the answers were recoded, not dropped.
    const recodedTo = added.find((a) => a.label === o.label);
    if (recodedTo) {
      added.splice(added.indexOf(recodedTo), 1);
      out.push({
        kind: 'choice_recoded', key, list, value: o.value, newValue: recodedTo.value, before: o.label, after: recodedTo.label, breaking: true,
        effect: `${sv} \`${o.value}\` har bytt kod till \`${recodedTo.value}\`: svar från ${prevYear} med \`${o.value}\` kan inte jämföras.`,
        detail: `${list} "${o.value}" recoded as "${recodedTo.value}": ${prevYear} answers with "${o.value}" cannot be compared`,
      });
    } else {
      out.push({
        kind: 'choice_removed', key, list, value: o.value, before: o.label, breaking: true,
        effect: `${sv} \`${o.value}\` borttaget: svar från ${prevYear} med \`${o.value}\` kan inte jämföras.`,
        detail: `${list} "${o.value}" removed: ${prevYear} answers with "${o.value}" cannot be compared`,
      });
    }
  }
  for (const o of added) {
    out.push({
      kind: 'choice_added', key, list, value: o.value, after: o.label, breaking: false,
      effect: `nytt ${sv} \`${o.value}\` (”${o.label}”): tidigare år har inga svar med det; trenden för övriga fortsätter.`,
      detail: `${list} "${o.value}" added: earlier years have no answers with it; the trend continues for the others`,
    });
  }
  for (const o of after) {
    const old = beforeBy.get(o.value);
    if (old && old.label !== o.label) {
      out.push({
        kind: 'choice_label_changed', key, list, value: o.value, before: old.label, after: o.label, breaking: false,
        effect: `${sv} \`${o.value}\` har ny text (”${old.label}” → ”${o.label}”): samma kod, trenden fortsätter om betydelsen är densamma.`,
        detail: `${list} "${o.value}" relabelled "${old.label}" → "${o.label}": same value, the trend continues if the meaning is the same`,
      });
    }
  }
  return out;
}

/**
 * The changes from `previous` to `next`, key by key in form order (removed keys last).
 * @example diffSurveys(getSurvey('oj-vinr-2019')!, draft).breaking.length === 0
 */
export function diffSurveys(previous: LoadedSurvey | undefined, next: LoadedSurvey): SurveyDiff {
  if (!previous) return { previousId: null, changes: [], breaking: [] };
  const prevYear = previous.meta.year;
  const before = new Map(getCodebook(previous).filter((e) => !e.commentOf).map((e) => [e.key, e]));
  const after = getCodebook(next).filter((e) => !e.commentOf);
  const changes: SurveyChange[] = [];
  for (const e of after) {
    const old = before.get(e.key);
    if (!old) {
      changes.push({
        kind: 'question_added', key: e.key, after: e.text, breaking: false,
        effect: `ny fråga \`${e.key}\`: trenden börjar ${next.meta.year}.`,
        detail: `question "${e.key}" added: its trend starts in ${next.meta.year}`,
      });
      continue;
    }
    const own: SurveyChange[] = [];
    if (typeOf(old) !== typeOf(e)) {
      own.push({
        kind: 'type_changed', key: e.key, before: typeOf(old), after: typeOf(e), breaking: true,
        effect: `\`${e.key}\` byter typ (${typeOf(old)} → ${typeOf(e)}): svaren före ${next.meta.year} kan inte jämföras. Byt namn på frågan om den är en ny fråga.`,
        detail: `key "${e.key}" changes type ${typeOf(old)} → ${typeOf(e)}: earlier answers cannot be compared; rename the key if it is a new question`,
      });
    } else {
      if (old.text !== e.text) {
        own.push({
          kind: 'text_changed', key: e.key, before: old.text, after: e.text, breaking: false,
          effect: `\`${e.key}\` behåller nyckel och typ: trenden fortsätter (kontrollera att frågan betyder samma sak).`,
          detail: `question "${e.key}" has a new text but keeps its key and type: the trend continues`,
        });
      }
      const a = lists(old);
      const b = lists(e);
      for (const list of new Set([...a.keys(), ...b.keys()])) own.push(...compareLists(e.key, list, a.get(list) ?? [], b.get(list) ?? [], prevYear));
    }
    changes.push(
      ...(own.length
        ? own
        : [{ kind: 'unchanged' as const, key: e.key, breaking: false, effect: `\`${e.key}\` behåller nyckel och typ: trenden fortsätter.`, detail: `"${e.key}" is unchanged: the trend continues` }]),
    );
  }
  const keys = new Set(after.map((e) => e.key));
  for (const [key, old] of before) {
    if (keys.has(key)) continue;
    changes.push({
      kind: 'question_removed', key, before: old.text, breaking: false,
      effect: `frågan \`${key}\` finns inte längre: trenden slutar ${prevYear}.`,
      detail: `question "${key}" removed: its trend ends in ${prevYear}`,
    });
  }
  return { previousId: previous.meta.id, changes, breaking: changes.filter((c) => c.breaking) };
}

/** A stable id for one breaking change, for confirmations: `choice_removed:key:choice:value`. */
export function changeId(c: SurveyChange): string {
  return [c.kind, c.key, c.list ?? '', c.value ?? ''].join(':');
}
