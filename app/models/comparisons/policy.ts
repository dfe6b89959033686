import type { GroupResult, PeriodResult } from './assemble';

/**
 * The presentation policy of a figure, resolved from its definition and stated under it:
 * small-cell suppression by unit (organisations are public bodies: none by default; persons:
 * a threshold), the precision of percentages, the base of multiple choice, joint amounts and
 * provisional years. Pure, shared with the browser.
 */

export interface FigurePolicy {
  suppressBelow: number;
  /** Why this threshold: set in the definition, or the default for the unit. */
  suppressionSource: 'definition' | 'organisations' | 'persons';
  precision: 0 | 1 | 2;
  base?: 'answered' | 'chose';
  /** Numeric amounts of joint reports are counted once, at the lead. */
  jointAmounts?: 'once';
  provisionalYears?: number[];
  /** The policy in Swedish, one sentence each, for the lines under the figure. */
  notes: string[];
}

export function describePolicy(p: Omit<FigurePolicy, 'notes'>, unit: 'organisations' | 'persons'): string[] {
  const notes: string[] = [];
  if (p.suppressBelow > 1)
    notes.push(
      `Antal under ${p.suppressBelow} visas inte (".."), inte heller celler som går att räkna ut från dem${p.suppressionSource === 'persons' ? ', eftersom enkäten besvaras av personer' : ''}.`,
    );
  else
    notes.push(
      unit === 'organisations'
        ? 'Inga antal döljs: svaren lämnas av organisationer, inte av enskilda personer.'
        : 'Inga antal döljs.',
    );
  notes.push(p.precision === 0 ? 'Andelar i hela procent, avrundade från de exakta kvoterna.' : `Andelar med ${p.precision} decimal${p.precision > 1 ? 'er' : ''}, avrundade från de exakta kvoterna.`);
  if (p.base === 'chose') notes.push('Flera alternativ kunde anges. n är de som valt minst ett alternativ; de som svarat "inget av alternativen" räknas inte in.');
  if (p.base === 'answered') notes.push('Flera alternativ kunde anges. n är alla som besvarat frågan.');
  if (p.jointAmounts) notes.push('Belopp i gemensamma redovisningar räknas en gång, hos den organisation som redovisade för gruppen, och kopieras aldrig till medlemmarna.');
  if (p.provisionalYears?.length)
    notes.push(`* ${p.provisionalYears.join(', ')}: beredningen pågår fortfarande, så beloppen kan ändras.`);
  return notes;
}

/** Change in percentage points from the first to the last period with data, per value (Riket). */
export interface TrendChange {
  from: string;
  to: string;
  /** Percentage points at the figure's precision, from the exact ratios; null when not shown. */
  points: Record<string, number | null>;
}

export function trendChange(periods: PeriodResult[], values: string[], precision: number): TrendChange | undefined {
  const withData = periods.filter((p) => !p.noData && p.total.n > 0);
  if (withData.length < 2) return undefined;
  const [first, last] = [withData[0], withData[withData.length - 1]];
  const ratio = (g: GroupResult, v: string) => (g.counts[v] === null || g.n === 0 ? null : (g.counts[v] ?? 0) / g.n);
  const scale = 10 ** precision;
  const points: Record<string, number | null> = {};
  for (const v of values) {
    const a = ratio(first.total, v);
    const b = ratio(last.total, v);
    points[v] = a === null || b === null ? null : Math.round((b - a) * 100 * scale) / scale + 0;
  }
  return { from: first.label, to: last.label, points };
}

/** A percentage in Swedish: decimal comma, the figure's decimals (72,09; 34). */
export function formatPercentSv(value: number | null | undefined, precision: number): string {
  if (value === null || value === undefined) return '';
  return value.toLocaleString('sv-SE', { minimumFractionDigits: precision, maximumFractionDigits: precision });
}
