import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { getCodebook, getSurvey } from '../surveys/surveys.server';
import type { GroupResult } from './assemble';
import type { ComparisonDefinition } from './definition';
import { ComparisonError } from './errors';
import type { ComparisonResult } from './result';

type Compute = (db: Kysely<Database>, def: ComparisonDefinition) => Promise<ComparisonResult>;

/** The matrix a survey measure names as a whole (`roll_lagesbild`, not `roll_lagesbild.meningsfullt`), if any. */
export function wholeMatrix(def: ComparisonDefinition) {
  const m = def.measure;
  if (!('survey' in m) || m.question.includes('.')) return undefined;
  const survey = getSurvey(m.survey);
  const entry = survey ? getCodebook(survey).find((e) => e.key === m.question) : undefined;
  return entry?.kind === 'matrix' && entry.rows?.length ? entry : undefined;
}

/**
 * A matrix shown whole (source 004's Bilaga 1: six statements × stämmer helt / delvis / inte /
 * vet ej): one row per statement, each with its own n and missing, and the pooled ratings last.
 * Each statement is computed like a single-choice question, so map (e.g. "positiva omdömen")
 * and suppression apply per statement.
 */
export async function computeMatrix(db: Kysely<Database>, def: ComparisonDefinition, compute: Compute): Promise<ComparisonResult> {
  const m = def.measure;
  const entry = wholeMatrix(def);
  if (!entry || !('survey' in m)) throw new Error('not a matrix measure');
  if (def.groupBy || def.surveys)
    throw new ComparisonError(
      'A whole matrix cannot be grouped or shown as a trend: choose one statement (question.row)',
      'En hel matris kan inte delas upp eller visas över tid: välj ett påstående',
    );
  const parts: ComparisonResult[] = [];
  for (const row of entry.rows!) parts.push(await compute(db, { ...def, measure: { ...m, question: `${m.question}.${row.value}` } }));
  const groups: GroupResult[] = parts.map((r, i) => ({ ...r.total, key: entry.rows![i].value, label: entry.rows![i].label }));
  const first = parts[0];
  // The pooled ratings over all statements; a value hidden in any statement stays hidden.
  const total: GroupResult = { key: 'alla', label: 'Alla påståenden', n: 0, missing: 0, counts: {}, percent: {}, suppressed: groups.some((g) => g.suppressed) };
  for (const g of groups) {
    total.n += g.n;
    total.missing += g.missing;
  }
  const scale = 10 ** first.precision;
  for (const v of first.values) {
    const hidden = groups.some((g) => g.counts[v.key] === null);
    const c = groups.reduce((s, g) => s + (g.counts[v.key] ?? 0), 0);
    total.counts[v.key] = hidden ? null : c;
    total.percent[v.key] = hidden || total.n === 0 ? null : Math.round((c * 100 * scale) / total.n) / scale;
  }
  return {
    ...first,
    title: def.title,
    measure: { kind: 'single', label: entry.text },
    grouping: { kind: 'question', label: 'Påstående' },
    groups,
    total,
    test: null,
  };
}
