import { independenceTest, type TestResult } from './statistics';
import { suppressCells } from './suppression';

/**
 * Turns the SQL aggregates of one period into groups and Riket: n, missing, counts, percent,
 * numeric statistics, small-cell suppression and the guide test. Pure: no database access.
 */

export const MISSING_KEY = 'saknas';
const MISSING_LABEL = 'Uppgift saknas';
const round1 = (x: number) => Math.round(x * 10) / 10;

export interface GroupResult {
  key: string;
  label: string;
  /** Members who answered (for a grant measure: who have a ledger row). */
  n: number;
  /** Members with no answer, or no submitted response (no ledger row). */
  missing: number;
  /** Per value key; null when suppressed. */
  counts: Record<string, number | null>;
  /** count / n × 100, one decimal; null when suppressed or n = 0. */
  percent: Record<string, number | null>;
  suppressed: boolean;
  /** Numeric questions only. */
  stats?: { mean: number | null; median: number | null; sum: number | null };
}

export interface PeriodResult {
  key: string;
  label: string;
  groups: GroupResult[];
  total: GroupResult;
  test: TestResult | null;
}

export type MeasureKind = 'single' | 'multiple' | 'numeric' | 'grant';

/** What is measured: its kind, label and answer options (value keys with Swedish labels). */
export interface Resolved {
  kind: MeasureKind | 'boolean';
  label: string;
  options: { value: string; label: string }[];
}

export interface Aggregates {
  /** [groupKey, value, count]; value null = member without an answer. */
  cells: { g: string | null; v: string | null; c: number }[];
  /** Multiple choice: members who chose at least one option, per group. */
  answered?: Map<string | null, number>;
  /** Numeric: the values per group. */
  numbers?: Map<string | null, number[]>;
}
interface Acc {
  key: string;
  label: string;
  members: number;
  missing: number;
  counts: Record<string, number>;
  answered: number;
  numbers: number[];
}

export function assemble(
  agg: Aggregates,
  resolved: Resolved,
  valueOf: (raw: string) => string,
  labelOf: (key: string) => { key: string; label: string },
  order: string[],
  suppressBelow: number,
  grouped: boolean,
): PeriodResult {
  const groups = new Map<string, Acc>();
  const accFor = (g: string | null) => {
    const { key, label } = g === null ? { key: MISSING_KEY, label: MISSING_LABEL } : labelOf(g);
    let acc = groups.get(key);
    if (!acc) groups.set(key, (acc = { key, label, members: 0, missing: 0, counts: {}, answered: 0, numbers: [] }));
    return acc;
  };
  for (const { g, v, c } of agg.cells) {
    const acc = accFor(grouped ? g : 'all');
    if (v === null) {
      acc.missing += c;
      acc.members += c;
    } else {
      const value = valueOf(v);
      acc.counts[value] = (acc.counts[value] ?? 0) + c;
      if (resolved.kind !== 'multiple') acc.members += c;
    }
  }
  if (agg.answered) for (const [g, n] of agg.answered) {
    const acc = accFor(grouped ? g : 'all');
    acc.answered += n;
    acc.members += n;
  }
  if (agg.numbers) for (const [g, xs] of agg.numbers) accFor(grouped ? g : 'all').numbers.push(...xs);

  const rank = (k: string) => (k === MISSING_KEY ? 1e9 : order.indexOf(k) >= 0 ? order.indexOf(k) : 1e6);
  const list = [...groups.values()].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key, 'sv'));
  const total: Acc = { key: 'riket', label: 'Riket', members: 0, missing: 0, counts: {}, answered: 0, numbers: [] };
  for (const a of list) {
    total.members += a.members;
    total.missing += a.missing;
    total.answered += a.answered;
    total.numbers.push(...a.numbers);
    for (const [v, c] of Object.entries(a.counts)) total.counts[v] = (total.counts[v] ?? 0) + c;
  }
  const valueKeys = [...new Set([...resolved.options.map((o) => o.value), ...Object.keys(total.counts)])];
  const rows = grouped ? [...list, total] : [total];
  const hidden = suppressCells({
    counts: rows.map((r) => r.counts),
    values: valueKeys,
    additive: resolved.kind !== 'multiple',
    threshold: suppressBelow,
  });
  const finish = (a: Acc, i: number): GroupResult => {
    const n = a.members - a.missing;
    const counts: Record<string, number | null> = {};
    const percent: Record<string, number | null> = {};
    if (resolved.kind !== 'numeric')
      for (const v of valueKeys) {
        const c = a.counts[v] ?? 0;
        counts[v] = hidden[i].has(v) ? null : c;
        percent[v] = hidden[i].has(v) || n === 0 ? null : round1((c / n) * 100);
      }
    const result: GroupResult = { key: a.key, label: a.label, n, missing: a.missing, counts, percent, suppressed: hidden[i].size > 0 };
    if (resolved.kind === 'numeric') {
      const xs = [...a.numbers].sort((x, y) => x - y);
      const tooFew = suppressBelow > 1 && xs.length > 0 && xs.length < suppressBelow;
      const sum = xs.reduce((s, x) => s + x, 0);
      const median = xs.length === 0 ? null : xs.length % 2 ? xs[(xs.length - 1) / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
      result.stats = tooFew ? { mean: null, median: null, sum: null } : { mean: xs.length ? round1(sum / xs.length) : null, median, sum: xs.length ? sum : null };
      result.suppressed = tooFew;
    }
    return result;
  };
  const finished = rows.map(finish);
  const totalResult = finished[finished.length - 1];
  const groupResults = grouped ? finished.slice(0, -1) : [];
  let test: TestResult | null = null;
  if (grouped && (resolved.kind === 'single' || resolved.kind === 'grant' || resolved.kind === 'boolean')) {
    const testRows = list.filter((a) => a.key !== MISSING_KEY).map((a) => valueKeys.map((v) => a.counts[v] ?? 0));
    test = independenceTest(testRows);
  }
  return { key: '', label: '', groups: groupResults, total: totalResult, test };
}
