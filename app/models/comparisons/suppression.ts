/**
 * Small-cell suppression for a comparison table. Primary: a count in 1..k-1 is hidden.
 * Complementary: a hidden cell must not be derivable from the rest, so
 *  - within a row whose cells add up to n (single choice), one hidden cell forces a second;
 *  - within a value's column, one hidden group cell (the Riket row shows the column total)
 *    forces a second group cell.
 * Repeated until nothing changes. Zero counts are not primary-suppressed.
 */

export interface SuppressionInput {
  /** counts[row][value]; the last row is the total (Riket). */
  counts: Record<string, number>[];
  values: string[];
  /** Whether each row's counts sum to its n (single choice); false for multiple choice. */
  additive: boolean;
  threshold: number;
}

/** Returns, per row, the set of hidden values. */
export function suppressCells({ counts, values, additive, threshold }: SuppressionInput): Set<string>[] {
  const hidden = counts.map(() => new Set<string>());
  if (threshold <= 1) return hidden;
  counts.forEach((row, i) => {
    for (const v of values) if ((row[v] ?? 0) > 0 && (row[v] ?? 0) < threshold) hidden[i].add(v);
  });
  const groupRows = counts.length - 1;
  const hideSmallest = (candidates: [number, string][]) => {
    candidates.sort((x, y) => (counts[x[0]][x[1]] ?? 0) - (counts[y[0]][y[1]] ?? 0));
    const [row, value] = candidates[0];
    hidden[row].add(value);
  };
  for (let changed = true, guard = 0; changed && guard < 1000; guard++) {
    changed = false;
    if (additive)
      counts.forEach((_, i) => {
        const open = values.filter((v) => !hidden[i].has(v));
        if (hidden[i].size === 1 && open.length > 0) {
          hideSmallest(open.map((v) => [i, v]));
          changed = true;
        }
      });
    for (const v of values) {
      const rows = [...Array(groupRows).keys()];
      const hiddenRows = rows.filter((i) => hidden[i].has(v));
      const open = rows.filter((i) => !hidden[i].has(v));
      if (hiddenRows.length === 1 && !hidden[groupRows].has(v)) {
        if (open.length > 0) hideSmallest(open.map((i) => [i, v]));
        else hidden[groupRows].add(v);
        changed = true;
      }
    }
  }
  return hidden;
}
