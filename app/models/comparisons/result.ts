import type { GroupResult, MeasureKind, PeriodResult } from './assemble';
import type { TestResult } from './statistics';
import type { FigurePolicy, TrendChange } from './policy';

/** What computeComparison returns: one figure's numbers, with its policy and Swedish notes. */
export interface ComparisonResult {
  title: string;
  description?: string;
  /** The "Källa:" text, without the prefix. */
  source: string;
  note: string;
  measure: { kind: MeasureKind | 'money'; label: string };
  grouping: { kind: 'none' | 'grant' | 'attribute' | 'question'; label: string };
  values: { key: string; label: string }[];
  groups: GroupResult[];
  total: GroupResult;
  test: TestResult | null;
  /** Trends: one entry per year or survey; groups/total/test above are the last period's. */
  periods?: PeriodResult[];
  /** Money over several periods: the sum of every period (Bilaga 1's "Summa"). */
  grandTotal?: GroupResult;
  /** The values the chart shows (all when absent). */
  chartValues?: string[];
  suppressBelow: number;
  /** Decimals of every percentage (0, 1 or 2). */
  precision: 0 | 1 | 2;
  /** Suppression, precision, base and other rules of the figure, with Swedish lines to show under it. */
  policy: FigurePolicy;
  /** Trends: change in percentage points, first to last period with data (Riket). */
  change?: TrendChange;
  population: string;
  /**
   * Organisations whose answer comes from a joint report led by another organisation (the
   * flag of joint reporting); absent when there are none. Counted once each, like any member.
   */
  jointMembers?: number;
}
