/** One measured number, next to its target when the issue sets one. */
export interface BenchFigure {
  module?: string;
  name: string;
  value: number | string;
  unit: string;
  /** The target as text, e.g. "< 20 ms". */
  target?: string;
  met?: boolean;
}

/** p-th percentile (0–100) of a list of numbers, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
