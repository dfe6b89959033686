/**
 * Allocation of a grant year's total among its recipients, in whole kronor that sum exactly to
 * the total (largest remainder). Pure: the ledger (ledger.server.ts) stores the result.
 *
 * - `population_floor` (kommuner, 50 mnkr with a floor of 80 000 kr in 2016–2018): recipients
 *   whose proportional share falls below the floor get the floor; the rest of the total is split
 *   by population among the others; repeated until no one else falls below.
 * - `equal` (regioner, 20 mnkr / 21 = 952 381 kr): the same share for everyone.
 */

export interface AllocationInput {
  id: number;
  /** Tie-break for equal remainders, so the result never depends on row order (the org code). */
  code: string;
  population: number;
}

export interface AllocationLine {
  id: number;
  code: string;
  population: number;
  /** Share of the total, 0–1, after rounding. */
  share: number;
  amount: number;
  /** True when the floor was applied. */
  floored: boolean;
}

export class AllocationError extends Error {
  constructor(
    message: string,
    readonly sv: string,
  ) {
    super(message);
  }
}

/**
 * Splits `total` in proportion to `weights` (non-negative integers) into whole numbers that sum
 * exactly to `total`: everyone gets the floor of their exact share, and the kronor left over go
 * one each to the largest remainders (ties: by `keys`, ascending). Exact integer arithmetic.
 * @example largestRemainder(100, [1, 1, 1], ['a', 'b', 'c']) → [34, 33, 33]
 */
export function largestRemainder(total: number, weights: number[], keys: string[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new AllocationError('total must be a whole number ≥ 0', 'Totalbeloppet måste vara ett heltal ≥ 0.');
  if (weights.length === 0) return [];
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum === 0n) throw new AllocationError('the weights sum to zero', 'Underlaget summerar till noll.');
  const t = BigInt(total);
  const base = weights.map((w) => (t * BigInt(w)) / sum);
  const rest = weights.map((w, i) => t * BigInt(w) - base[i] * sum);
  let left = Number(t - base.reduce((s, b) => s + b, 0n));
  const order = weights.map((_, i) => i).sort((a, b) => (rest[b] > rest[a] ? 1 : rest[b] < rest[a] ? -1 : keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  const out = base.map(Number);
  for (const i of order) {
    if (left <= 0) break;
    out[i] += 1;
    left -= 1;
  }
  return out;
}

/**
 * The population rule with a floor.
 * @example allocateByPopulation(kommuner, 50_000_000, 80_000) // 290 lines summing to 50 000 000
 */
export function allocateByPopulation(recipients: AllocationInput[], total: number, floor: number): AllocationLine[] {
  if (recipients.length === 0) throw new AllocationError('no recipients', 'Det finns inga mottagare att fördela till.');
  if (!Number.isSafeInteger(floor) || floor < 0) throw new AllocationError('floor must be a whole number ≥ 0', 'Lägsta beloppet måste vara ett heltal ≥ 0.');
  const missing = recipients.filter((r) => !Number.isSafeInteger(r.population) || r.population < 0);
  if (missing.length) throw new AllocationError(`no population for ${missing.map((r) => r.code).join(', ')}`, `Folkmängd saknas för ${missing.map((r) => r.code).join(', ')}.`);
  if (floor * recipients.length > total)
    throw new AllocationError(`the floor for every recipient (${floor * recipients.length}) exceeds the total (${total})`, `Lägsta beloppet för alla mottagare (${floor * recipients.length} kr) är större än totalbeloppet.`);
  const floored = new Set<number>();
  // Each pass floors at least one more recipient or stops, so it ends within n passes.
  for (let pass = 0; pass <= recipients.length; pass++) {
    const others = recipients.filter((r) => !floored.has(r.id));
    const remaining = total - floor * floored.size;
    const popSum = others.reduce((s, r) => s + r.population, 0);
    const below = others.filter((r) => popSum === 0 || remaining * r.population < floor * popSum);
    if (below.length === 0 || others.length === 0) break;
    for (const r of below) floored.add(r.id);
  }
  const others = recipients.filter((r) => !floored.has(r.id));
  const remaining = total - floor * floored.size;
  const amounts = others.length
    ? largestRemainder(remaining, others.map((r) => r.population), others.map((r) => r.code))
    : [];
  const byId = new Map(others.map((r, i) => [r.id, amounts[i]] as const));
  // With nobody above the floor, the total is exactly n × floor (checked above: ≤), and any
  // kronor left over are spread by largest remainder over equal weights.
  const spare = others.length ? [] : largestRemainder(total - floor * recipients.length, recipients.map(() => 1), recipients.map((r) => r.code));
  return recipients.map((r, i) => {
    const amount = floored.has(r.id) ? floor + (spare[i] ?? 0) : byId.get(r.id)!;
    return { id: r.id, code: r.code, population: r.population, share: total ? amount / total : 0, amount, floored: floored.has(r.id) };
  });
}

/** Equal shares; the kronor that do not divide go one each to the first codes. */
export function allocateEqually(recipients: AllocationInput[], total: number): AllocationLine[] {
  if (recipients.length === 0) throw new AllocationError('no recipients', 'Det finns inga mottagare att fördela till.');
  const amounts = largestRemainder(total, recipients.map(() => 1), recipients.map((r) => r.code));
  return recipients.map((r, i) => ({ id: r.id, code: r.code, population: r.population, share: total ? amounts[i] / total : 0, amount: amounts[i], floored: false }));
}
