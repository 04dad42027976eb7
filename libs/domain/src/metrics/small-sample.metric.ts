/*
 * Rates over few events (issue 25): a share of a small count is shown with the count behind
 * it, with a 95 % interval while the count is small, and below TOO_FEW_TO_TELL not as a
 * share at all ("too few to tell"). One rule for every such figure of the reports.
 */

/** Below this many (the rate's denominator), a report says "too few to tell" rather than a percentage. */
export const TOO_FEW_TO_TELL = 5;
/** Below this many, a rate is shown with its interval (INTERVAL_LEVEL); from it on, the rate alone. */
export const SMALL_SAMPLE = 30;
/** The coverage of the interval. */
export const INTERVAL_LEVEL = 0.95;
/** The standard normal quantile of 1 − (1 − INTERVAL_LEVEL) / 2. */
const Z = 1.959963984540054;

export interface RateInterval {
  readonly low: number;
  readonly high: number;
}

/**
 * The Wilson score interval of k successes in n trials (0 ≤ k ≤ n, n ≥ 1) at INTERVAL_LEVEL:
 * it stays inside [0, 1] and is sensible at 0 and n successes, where the normal
 * approximation's (Wald) interval collapses to a point. Exactly 0 at k = 0 and 1 at k = n.
 */
export function wilsonInterval(k: number, n: number): RateInterval {
  if (!(n >= 1) || k < 0 || k > n) throw new RangeError(`wilsonInterval needs 0 ≤ k ≤ n and n ≥ 1 (k = ${k}, n = ${n})`);
  const z2 = Z * Z;
  const p = k / n;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

export interface SmallSampleRate {
  /** k ÷ n; null when n = 0. */
  readonly rate: number | null;
  /** n: the count behind the rate. */
  readonly count: number;
  /** The interval while 1 ≤ n < SMALL_SAMPLE; null otherwise. */
  readonly low: number | null;
  readonly high: number | null;
  /** n < TOO_FEW_TO_TELL: show "too few to tell" (with the count), not the percentage. */
  readonly tooFewToTell: boolean;
}

/** k of n as a report shows it: the rate, its count, an interval while n is small. */
export function smallSampleRate(k: number, n: number): SmallSampleRate {
  if (n === 0) return { rate: null, count: 0, low: null, high: null, tooFewToTell: true };
  const interval = n < SMALL_SAMPLE ? wilsonInterval(k, n) : null;
  return { rate: k / n, count: n, low: interval?.low ?? null, high: interval?.high ?? null, tooFewToTell: n < TOO_FEW_TO_TELL };
}
