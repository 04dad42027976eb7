import { percentileCont } from './percentiles.metric';

/*
 * "What changed" (issue 15): each period is tested against the periods just before it, with
 * tests that are exact or conservative for the small samples a team's month holds:
 * - a duration (time to detect / mitigate / resolve) or the cost per incident: the
 *   Mann–Whitney U (Wilcoxon rank-sum) test of the period's values against the pooled values
 *   of its baseline periods — exact distribution without ties and up to 2 500 pairs, else
 *   the normal approximation with tie and continuity corrections. Rank-based: a single
 *   week-long outage cannot flag a period on its own, as it would move a mean.
 * - the incident count: the exact conditional test of two Poisson rates — given k incidents
 *   in the period and K in the baseline, k ~ Binomial(k + K, e / (e + E)) under "same rate",
 *   e and E their exposures in days (months differ in length, the current period is cut by now).
 * Two-sided, significance CHANGE_ALPHA; many periods × metrics are tested, so a strict α keeps
 * false alarms rare (1 in 100 tests).
 */

/** Periods before the tested one that form its baseline. */
export const BASELINE_PERIODS = 8;
/** No test with a shorter baseline: a shift needs a "normal" to shift from. */
export const MIN_BASELINE_PERIODS = 4;
/** Values a duration / cost test needs in the tested period and in its baseline. */
export const MIN_PERIOD_VALUES = 3;
export const MIN_BASELINE_VALUES = 5;
export const CHANGE_ALPHA = 0.01;
/**
 * A period's values the rank tests use, at most: beyond, its MAX_RANKED_VALUES evenly spaced
 * order statistics (rankedQuantiles) stand for it. Fewer values only weaken a test (larger p),
 * and with hundreds of incidents a period a real shift stays far beyond the threshold.
 */
export const MAX_RANKED_VALUES = 200;

/** The quantiles (k + ½) / MAX_RANKED_VALUES, k = 0 … MAX_RANKED_VALUES − 1: the order statistics that stand for a large period. */
export const rankedQuantiles = (): number[] => Array.from({ length: MAX_RANKED_VALUES }, (_, k) => (k + 0.5) / MAX_RANKED_VALUES);

/** Incidents and services listed as the drivers of a change, at most. */
export const MAX_DRIVERS = 5;

export type ChangeMetric = 'INCIDENTS' | 'TTD_MEDIAN' | 'TTM_MEDIAN' | 'TTR_MEDIAN' | 'COST' | 'DEPLOYMENTS_PER_DAY' | 'CHANGE_FAILURE_RATE' | 'RECOVERY_MEDIAN';

export interface ChangePeriod {
  readonly periodStart: Date;
  readonly periodEnd: Date;
  /** Days of the period the data could cover (cut by the range and by now); 0 = not observed. */
  readonly exposureDays: number;
  readonly incidents: number;
  /** Minutes; the incidents lacking the milestone are left out. */
  readonly ttd: readonly number[];
  readonly ttm: readonly number[];
  readonly ttr: readonly number[];
  /** Cost of each incident. */
  readonly costs: readonly number[];
  /** DORA (docs/dora.md): production changes that finished in the period; absent = none. */
  readonly deployments?: number;
  /** The failed ones among them. */
  readonly failedChanges?: number;
  /** The failed deployment recovery times (minutes) of those that recovered. */
  readonly recovery?: readonly number[];
}

export interface DetectedChange {
  readonly index: number;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly metric: ChangeMetric;
  readonly direction: 'WORSE' | 'BETTER';
  readonly value: number;
  readonly baseline: number;
  readonly measure: string;
  readonly pValue: number;
  readonly method: string;
}

const MEASURE: Record<ChangeMetric, string> = {
  INCIDENTS: 'incidents in the period (baseline: expected at the baseline periods\' rate)',
  TTD_MEDIAN: 'median minutes to detect (baseline: median of the baseline periods)',
  TTM_MEDIAN: 'median minutes to mitigate (baseline: median of the baseline periods)',
  TTR_MEDIAN: 'median minutes to resolve (baseline: median of the baseline periods)',
  COST: 'median cost per incident (baseline: median of the baseline periods)',
  DEPLOYMENTS_PER_DAY: 'deployments in the period (baseline: expected at the baseline periods\' rate)',
  CHANGE_FAILURE_RATE: 'failed changes ÷ deployments in the period (baseline: the same share over the baseline periods)',
  RECOVERY_MEDIAN: 'median minutes from a failed change to recovery (baseline: median of the baseline periods)',
};

const rankMethod = (n: number): string =>
  `Mann-Whitney U test of the period's values against those of the ${n} periods before it (two-sided, p < ${CHANGE_ALPHA})`;
const countMethod = (n: number, what = 'incidents'): string =>
  `exact conditional test of two Poisson rates: the period's ${what} per day against the ${n} periods before it (two-sided, p < ${CHANGE_ALPHA})`;
const failureMethod = (n: number): string =>
  `exact conditional test of two Poisson rates: the period's failed changes per deployment against the ${n} periods before it (two-sided, p < ${CHANGE_ALPHA})`;

/**
 * The exact conditional test of two Poisson rates: k events over exposure e against K over E;
 * under "same rate" k ~ Binomial(k + K, e ÷ (e + E)). Two-sided p, or null when nothing can be
 * tested (no events, no exposure) or k is exactly what the baseline's rate expects.
 */
function poissonRatesTest(k: number, e: number, bigK: number, bigE: number): { pValue: number; expected: number } | null {
  if (e <= 0 || bigE <= 0 || k + bigK === 0) return null;
  const expected = (bigK * e) / bigE;
  if (k === expected) return null;
  const { lower, upper } = binomialTails(k, k + bigK, e / (e + bigE));
  return { pValue: Math.min(1, 2 * Math.min(lower, upper)), expected };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9): ~15 significant digits. */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * P(X ≤ k) and P(X ≥ k) for X ~ Binomial(n, p). The tail away from the mode is summed term by
 * term from k (each term from the previous by the pmf's ratio) until the terms no longer count,
 * the other side is its complement: O(√n) terms, so a company's decade of incidents stays fast.
 */
export function binomialTails(k: number, n: number, p: number): { lower: number; upper: number } {
  if (p <= 0) return { lower: 1, upper: k <= 0 ? 1 : 0 };
  if (p >= 1) return { lower: k >= n ? 1 : 0, upper: 1 };
  if (k < 0) return { lower: 0, upper: 1 };
  if (k > n) return { lower: 1, upper: 0 };
  const at = Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log(1 - p));
  const odds = p / (1 - p);
  let tail = at;
  let term = at;
  if (k <= n * p) {
    for (let j = k; j > 0; j--) {
      term *= (j / (n - j + 1)) / odds;
      tail += term;
      if (term <= tail * 1e-17) break;
    }
    return { lower: Math.min(1, tail), upper: Math.min(1, Math.max(0, 1 - tail + at)) };
  }
  for (let j = k; j < n; j++) {
    term *= ((n - j) / (j + 1)) * odds;
    tail += term;
    if (term <= tail * 1e-17) break;
  }
  return { lower: Math.min(1, Math.max(0, 1 - tail + at)), upper: Math.min(1, tail) };
}

/** Standard normal cumulative distribution (erfc by W. J. Cody's rational approximations via a Chebyshev fit, |error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

export interface MannWhitney {
  /** U of the first sample: pairs (x, y) with x > y, ties counting ½. */
  readonly u: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  readonly exact: boolean;
}

/** How many arrangements of n1 + n2 distinct values give each U of the first sample: the coefficients of the Gaussian binomial [n1 + n2 choose n1]_q. */
function exactUCounts(n1: number, n2: number): number[] {
  const max = n1 * n2;
  let poly = new Array<number>(max + 1).fill(0);
  poly[0] = 1;
  // ∏_{i=1..n1} (1 − q^{n2+i}) / (1 − q^i): multiply by the numerator, then divide by the denominator (a running sum with stride i).
  for (let i = 1; i <= n1; i++) {
    const shift = n2 + i;
    const next = poly.slice();
    for (let d = max; d >= shift; d--) next[d] -= poly[d - shift];
    for (let d = i; d <= max; d++) next[d] += next[d - i];
    poly = next;
  }
  return poly;
}

/** The two-sided Mann–Whitney U test of samples x and y. Both need at least one value. */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitney {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('the Mann-Whitney test needs a value in each sample');
  const all = [...x.map((v) => ({ v, first: true })), ...y.map((v) => ({ v, first: false }))].sort((a, b) => a.v - b.v);
  let rankSum = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k].first) rankSum += rank;
    i = j + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  if (tieTerm === 0 && n1 * n2 <= 2_500) {
    const counts = exactUCounts(n1, n2);
    const total = counts.reduce((a, b) => a + b, 0);
    // Symmetric distribution: P(|U − mean| ≥ |u − mean|).
    const dist = Math.abs(u - mean);
    let tail = 0;
    for (let k = 0; k < counts.length; k++) if (Math.abs(k - mean) >= dist - 1e-9) tail += counts[k];
    return { u, pValue: Math.min(1, tail / total), exact: true };
  }
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, pValue: 1, exact: false };
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, pValue: Math.min(1, 2 * (1 - normalCdf(z))), exact: false };
}

const sortedMedian = (values: readonly number[]): number => percentileCont([...values].sort((a, b) => a - b), 0.5) ?? 0;

type ValuesOf = (p: ChangePeriod) => readonly number[];
const VALUES: [ChangeMetric, ValuesOf][] = [
  ['TTD_MEDIAN', (p) => p.ttd],
  ['TTM_MEDIAN', (p) => p.ttm],
  ['TTR_MEDIAN', (p) => p.ttr],
  ['COST', (p) => p.costs],
  ['RECOVERY_MEDIAN', (p) => p.recovery ?? []],
];

/**
 * The periods from `firstTested` on (those of the reviewed range; the earlier ones only serve
 * as baseline) whose incident rate, durations or cost per incident differ from the up to
 * BASELINE_PERIODS observed periods before them beyond CHANGE_ALPHA. Higher is worse for
 * every tested metric but deployments per day. Newest first; within a period in the order INCIDENTS, DEPLOYMENTS_PER_DAY,
 * CHANGE_FAILURE_RATE, TTD, TTM, TTR, COST, RECOVERY_MEDIAN.
 */
export function detectChanges(periods: readonly ChangePeriod[], firstTested = 0): DetectedChange[] {
  const found: DetectedChange[] = [];
  for (let i = Math.max(firstTested, 0); i < periods.length; i++) {
    const period = periods[i];
    if (period.exposureDays <= 0) continue;
    const baseline: ChangePeriod[] = [];
    for (let j = i - 1; j >= 0 && baseline.length < BASELINE_PERIODS; j--) if (periods[j].exposureDays > 0) baseline.unshift(periods[j]);
    if (baseline.length < MIN_BASELINE_PERIODS) continue;
    const base = { periodStart: period.periodStart, periodEnd: period.periodEnd, index: i };

    const k = period.incidents;
    const bigK = baseline.reduce((n, p) => n + p.incidents, 0);
    const exposure = baseline.reduce((n, p) => n + p.exposureDays, 0);
    const share = period.exposureDays / (period.exposureDays + exposure);
    const expected = (bigK * period.exposureDays) / exposure;
    if (k + bigK > 0 && k !== expected) {
      const { lower, upper } = binomialTails(k, k + bigK, share);
      const pValue = Math.min(1, 2 * Math.min(lower, upper));
      if (pValue < CHANGE_ALPHA) {
        found.push({ ...base, metric: 'INCIDENTS', direction: k > expected ? 'WORSE' : 'BETTER', value: k, baseline: expected, measure: MEASURE.INCIDENTS, pValue, method: countMethod(baseline.length) });
      }
    }

    // DORA: deployments per day (more is better), failed changes per deployment (the same test with deployments as the exposure).
    const deployments = period.deployments ?? 0;
    const baseDeployments = baseline.reduce((n, p) => n + (p.deployments ?? 0), 0);
    const deploys = poissonRatesTest(deployments, period.exposureDays, baseDeployments, exposure);
    if (deploys && deploys.pValue < CHANGE_ALPHA) {
      found.push({
        ...base, metric: 'DEPLOYMENTS_PER_DAY', direction: deployments > deploys.expected ? 'BETTER' : 'WORSE', value: deployments, baseline: deploys.expected,
        measure: MEASURE.DEPLOYMENTS_PER_DAY, pValue: deploys.pValue, method: countMethod(baseline.length, 'deployments'),
      });
    }
    const failed = period.failedChanges ?? 0;
    const baseFailed = baseline.reduce((n, p) => n + (p.failedChanges ?? 0), 0);
    const failures = poissonRatesTest(failed, deployments, baseFailed, baseDeployments);
    if (failures && failures.pValue < CHANGE_ALPHA) {
      found.push({
        ...base, metric: 'CHANGE_FAILURE_RATE', direction: failed > failures.expected ? 'WORSE' : 'BETTER', value: failed / deployments, baseline: baseFailed / baseDeployments,
        measure: MEASURE.CHANGE_FAILURE_RATE, pValue: failures.pValue, method: failureMethod(baseline.length),
      });
    }

    for (const [metric, valuesOf] of VALUES) {
      const mine = valuesOf(period);
      const theirs = baseline.flatMap((p) => [...valuesOf(p)]);
      if (mine.length < MIN_PERIOD_VALUES || theirs.length < MIN_BASELINE_VALUES) continue;
      const test = mannWhitneyU(mine, theirs);
      if (test.pValue >= CHANGE_ALPHA) continue;
      found.push({
        ...base, metric, direction: test.u > (mine.length * theirs.length) / 2 ? 'WORSE' : 'BETTER',
        value: sortedMedian(mine), baseline: sortedMedian(theirs), measure: MEASURE[metric], pValue: test.pValue, method: rankMethod(baseline.length),
      });
    }
  }
  return found.sort((a, b) => b.index - a.index);
}
