import { independenceTest, type TestResult } from './statistics';
import { suppressCells } from './suppression';

/**
 * Turns the SQL aggregates of one period into groups and Riket: n, missing, counts, percent,
 * numeric statistics, small-cell suppression and the guide test. Pure: no database access.
 */

export const MISSING_KEY = 'saknas';
const MISSING_LABEL = 'Uppgift saknas';

/**
 * count / n × 100 rounded once, at `precision` decimals, from the exact ratio (never from an
 * already rounded number): 10/29 → 34, 31/43 at 2 → 72.09.
 */
export function percentOf(count: number, n: number, precision: number): number | null {
  if (n === 0) return null;
  const scale = 10 ** precision;
  return Math.round((count * 100 * scale) / n) / scale;
}
const roundTo = (x: number, precision: number) => Math.round(x * 10 ** precision) / 10 ** precision;

/** How a period is assembled: the resolved policy of the definition. */
export interface AssembleOptions {
  suppressBelow: number;
  precision: number;
  grouped: boolean;
  /** Value keys that are outside the base (multiple choice with base `chose`: "none"). */
  outsideBase?: Set<string>;
}

export interface GroupResult {
  key: string;
  label: string;
  /** Members who answered (for a grant measure: who have a ledger row). */
  n: number;
  /** Members with no answer, or no submitted response (no ledger row). */
  missing: number;
  /** Per value key; null when suppressed. */
  counts: Record<string, number | null>;
  /** count / n × 100 at the definition's precision; null when suppressed or n = 0. */
  percent: Record<string, number | null>;
  suppressed: boolean;
  /** n / (n + missing) × 100: the share of the group that answered (item response rate). */
  answeredPercent?: number | null;
  /** Multiple choice with base `chose`: answered, but chose no real option (outside n). */
  excluded?: number;
  /** Numeric questions only. `ratio`: sum ÷ sum of `ratioTo` over members with both, in percent. */
  stats?: { mean: number | null; median: number | null; sum: number | null; count?: number; ratio?: number | null; ratioBase?: number | null };
  /** Money measures only: ledger sums in whole kronor and the share used (used ÷ allocated). */
  money?: { allocated: number; used: number; repaid: number; share: number | null; provisional: boolean };
}

export interface PeriodResult {
  key: string;
  label: string;
  groups: GroupResult[];
  total: GroupResult;
  test: TestResult | null;
  /** A period with no submitted answers: shown as missing in the series, not an error. */
  noData?: boolean;
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
  /** Multiple choice: members in the base (who answered / chose a real option), per group. */
  answered?: Map<string | null, number>;
  /** Multiple choice, base `chose`: members who answered but chose no real option, per group. */
  excluded?: Map<string | null, number>;
  /** Numeric: the values per group. */
  numbers?: Map<string | null, number[]>;
  /** Numeric with ratioTo: [sum of the measure, sum of ratioTo] over members with both, per group. */
  ratios?: Map<string | null, [number, number]>;
}
interface Acc {
  key: string;
  label: string;
  members: number;
  missing: number;
  counts: Record<string, number>;
  answered: number;
  excluded: number;
  numbers: number[];
  ratio: [number, number] | null;
}

export function assemble(
  agg: Aggregates,
  resolved: Resolved,
  valueOf: (raw: string) => string,
  labelOf: (key: string) => { key: string; label: string },
  order: string[],
  options: AssembleOptions,
): PeriodResult {
  const { suppressBelow, precision, grouped } = options;
  const outside = options.outsideBase ?? new Set<string>();
  const blank = (key: string, label: string): Acc => ({ key, label, members: 0, missing: 0, counts: {}, answered: 0, excluded: 0, numbers: [], ratio: null });
  const groups = new Map<string, Acc>();
  const accFor = (g: string | null) => {
    const { key, label } = g === null ? { key: MISSING_KEY, label: MISSING_LABEL } : labelOf(g);
    let acc = groups.get(key);
    if (!acc) groups.set(key, (acc = blank(key, label)));
    return acc;
  };
  for (const { g, v, c } of agg.cells) {
    const acc = accFor(grouped ? g : 'all');
    if (v === null) {
      acc.missing += c;
      acc.members += c;
    } else if (!outside.has(v)) {
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
  if (agg.excluded) for (const [g, n] of agg.excluded) {
    const acc = accFor(grouped ? g : 'all');
    acc.excluded += n;
    acc.members += n;
  }
  if (agg.numbers) for (const [g, xs] of agg.numbers) accFor(grouped ? g : 'all').numbers.push(...xs);
  const addRatio = (acc: Acc, [a, b]: [number, number]) => (acc.ratio = [(acc.ratio?.[0] ?? 0) + a, (acc.ratio?.[1] ?? 0) + b]);
  if (agg.ratios) for (const [g, r] of agg.ratios) addRatio(accFor(grouped ? g : 'all'), r);

  const rank = (k: string) => (k === MISSING_KEY ? 1e9 : order.indexOf(k) >= 0 ? order.indexOf(k) : 1e6);
  const list = [...groups.values()].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key, 'sv'));
  const total = blank('riket', 'Riket');
  for (const a of list) {
    total.members += a.members;
    total.missing += a.missing;
    total.answered += a.answered;
    total.excluded += a.excluded;
    total.numbers.push(...a.numbers);
    if (a.ratio) addRatio(total, a.ratio);
    for (const [v, c] of Object.entries(a.counts)) total.counts[v] = (total.counts[v] ?? 0) + c;
  }
  const valueKeys = [...new Set([...resolved.options.map((o) => o.value), ...Object.keys(total.counts)])].filter((v) => !outside.has(v));
  const rows = grouped ? [...list, total] : [total];
  const hidden = suppressCells({
    counts: rows.map((r) => r.counts),
    values: valueKeys,
    additive: resolved.kind !== 'multiple',
    threshold: suppressBelow,
  });
  const finish = (a: Acc, i: number): GroupResult => {
    const n = a.members - a.missing - a.excluded;
    const counts: Record<string, number | null> = {};
    const percent: Record<string, number | null> = {};
    if (resolved.kind !== 'numeric')
      for (const v of valueKeys) {
        const c = a.counts[v] ?? 0;
        counts[v] = hidden[i].has(v) ? null : c;
        percent[v] = hidden[i].has(v) ? null : percentOf(c, n, precision);
      }
    const result: GroupResult = {
      key: a.key,
      label: a.label,
      n,
      missing: a.missing,
      counts,
      percent,
      suppressed: hidden[i].size > 0,
      answeredPercent: percentOf(n, n + a.missing, precision),
      ...(outside.size ? { excluded: a.excluded } : {}),
    };
    if (resolved.kind === 'numeric') {
      const xs = [...a.numbers].sort((x, y) => x - y);
      const tooFew = suppressBelow > 1 && xs.length > 0 && xs.length < suppressBelow;
      const sum = xs.reduce((s, x) => s + x, 0);
      const median = xs.length === 0 ? null : xs.length % 2 ? xs[(xs.length - 1) / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
      const ratio = a.ratio ? { ratio: percentOf(a.ratio[0], a.ratio[1], precision), ratioBase: a.ratio[1] } : {};
      result.stats = tooFew
        ? { mean: null, median: null, sum: null, count: xs.length, ...(a.ratio ? { ratio: null, ratioBase: null } : {}) }
        : { mean: xs.length ? roundTo(sum / xs.length, Math.max(1, precision)) : null, median, sum: xs.length ? sum : null, count: xs.length, ...ratio };
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
