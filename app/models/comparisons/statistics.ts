/**
 * Tests of independence for a contingency table (rows = groups, columns = answer values), used
 * as a guide beside descriptive comparisons. Written here rather than pulled from a library:
 * only the chi-square survival function and a 2×2 Fisher test are needed.
 */

export interface TestResult {
  method: 'chi-square' | 'fisher-exact';
  p: number;
  statistic?: number;
  df?: number;
  /** Set when the chi-square approximation is doubtful (expected counts below 5). */
  warning?: string;
}

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to ~15 digits for x > 0. */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised upper incomplete gamma Q(a, x) (series below a + 1, continued fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPre = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lnPre));
  }
  // Lentz's continued fraction for Q.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(lnPre) * h);
}

/** P(X ≥ x) for X ~ χ²(df). @example chiSquareSf(3.841459, 1) // ≈ 0.05 */
export function chiSquareSf(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

/** Pearson's chi-square test of independence; rows or columns that are all zero are dropped. */
export function chiSquareTest(table: number[][]): TestResult | null {
  const t = dropEmpty(table);
  if (t.length < 2 || t[0].length < 2) return null;
  const rowSums = t.map((r) => r.reduce((a, b) => a + b, 0));
  const colSums = t[0].map((_, j) => t.reduce((a, r) => a + r[j], 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  let stat = 0;
  let small = 0;
  t.forEach((row, i) =>
    row.forEach((obs, j) => {
      const exp = (rowSums[i] * colSums[j]) / total;
      if (exp < 5) small++;
      stat += (obs - exp) ** 2 / exp;
    }),
  );
  const df = (t.length - 1) * (t[0].length - 1);
  const result: TestResult = { method: 'chi-square', p: chiSquareSf(stat, df), statistic: stat, df };
  if (small > 0) result.warning = `${small} of ${t.length * t[0].length} expected counts are below 5; the p-value is approximate`;
  return result;
}

/** Two-sided Fisher's exact test for a 2×2 table (sum of tables no more likely than the observed). */
export function fisherExact2x2([[a, b], [c, d]]: number[][]): TestResult {
  const r1 = a + b;
  const c1 = a + c;
  const n = a + b + c + d;
  const lnChoose = (m: number, k: number) => lnGamma(m + 1) - lnGamma(k + 1) - lnGamma(m - k + 1);
  const prob = (x: number) => Math.exp(lnChoose(c1, x) + lnChoose(n - c1, r1 - x) - lnChoose(n, r1));
  const observed = prob(a);
  let p = 0;
  for (let x = Math.max(0, r1 + c1 - n); x <= Math.min(r1, c1); x++) {
    const px = prob(x);
    if (px <= observed * (1 + 1e-7)) p += px;
  }
  return { method: 'fisher-exact', p: Math.min(1, p) };
}

/**
 * The guide test for a groups × values table: Fisher's exact test for a 2×2 table with an
 * expected count below 5, otherwise chi-square (with a warning when expected counts are small:
 * an exact test of a larger table is not attempted).
 */
export function independenceTest(table: number[][]): TestResult | null {
  const t = dropEmpty(table);
  if (t.length < 2 || t[0].length < 2) return null;
  if (t.length === 2 && t[0].length === 2) {
    const chi = chiSquareTest(t);
    if (chi?.warning) return fisherExact2x2(t);
    return chi;
  }
  return chiSquareTest(t);
}

function dropEmpty(table: number[][]): number[][] {
  const rows = table.filter((r) => r.some((v) => v > 0));
  if (rows.length === 0) return [];
  const keep = rows[0].map((_, j) => rows.some((r) => r[j] > 0));
  return rows.map((r) => r.filter((_, j) => keep[j]));
}
