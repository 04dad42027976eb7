/** The quantiles of every distribution (PRODUCT.md 5), by the field of DistributionStats they fill. */
export const DISTRIBUTION_QUANTILES = Object.freeze({ median: 0.5, p90: 0.9 } as const);

function checkQuantile(q: number): void {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`percentile must be between 0 and 1 (got ${q})`);
}

/**
 * The two 0-based ranks quantile q of n sorted values is interpolated between: ⌊q(n − 1)⌋ and
 * ⌈q(n − 1)⌉ (the same rank when q(n − 1) is whole). What a caller holding the values
 * unsorted, or in buckets, must find before interpolatePercentile can read them.
 */
export function percentileRanks(n: number, q: number): readonly [lo: number, hi: number] {
  checkQuantile(q);
  const rank = q * (n - 1);
  return [Math.floor(rank), Math.ceil(rank)];
}

/**
 * THE percentile of the product, PostgreSQL's percentile_cont: of n sorted values, the value
 * at fractional rank q × (n − 1), interpolated linearly between the two closest ranks
 * (percentileRanks). `at(rank)` gives the value at a 0-based rank of the ascending order; it is
 * asked only for the ranks percentileRanks names, so a caller may hold just those (the
 * report's rank buckets, a selection). Null for no values, like SQL's NULL; `q` outside
 * [0, 1] is a programming error (PostgreSQL raises one too): a RangeError.
 */
export function interpolatePercentile(n: number, q: number, at: (rank: number) => number): number | null {
  const [lo, hi] = percentileRanks(n, q);
  if (n === 0) return null;
  const a = at(lo);
  return lo === hi ? a : a + (at(hi) - a) * (q * (n - 1) - lo);
}

/** interpolatePercentile over ascending `sortedValues`. */
export function percentileCont(sortedValues: readonly number[], p: number): number | null {
  return interpolatePercentile(sortedValues.length, p, (rank) => sortedValues[rank]);
}

/**
 * The values an ascending sort of `values` would put at positions first..last (0-based,
 * inclusive), in order, found by selection (Hoare's quickselect, median-of-three pivots)
 * instead of a sort: linear on average, where a report needs two or three ranks out of
 * thousands of values. Reorders `values` in place.
 */
export function sortedRange(values: Float64Array, first: number, last: number): number[] {
  if (!(Number.isInteger(first) && Number.isInteger(last) && first >= 0 && first <= last && last < values.length)) {
    throw new RangeError(`positions ${first}..${last} are not within 0..${values.length - 1}`);
  }
  select(values, first, 0, values.length - 1);
  // Everything right of `first` is now ≥ it: the rest of the range is the smallest of that part.
  if (last > first) select(values, last, first + 1, values.length - 1);
  return Array.from(values.subarray(first, last + 1).sort());
}

/**
 * The values an ascending sort of `values` would put at each of `ranks` (0-based), by
 * selection: each rank found narrows the search for the next. Reorders `values` in place.
 */
export function valuesAtRanks(values: Float64Array, ranks: readonly number[]): Map<number, number> {
  const found = new Map<number, number>();
  let lo = 0;
  for (const k of [...new Set(ranks)].sort((a, b) => a - b)) {
    if (!(Number.isInteger(k) && k >= 0 && k < values.length)) throw new RangeError(`rank ${k} is not within 0..${values.length - 1}`);
    select(values, k, lo, values.length - 1);
    found.set(k, values[k]);
    // Everything right of k is now ≥ values[k]: the next rank lies there.
    lo = k + 1;
  }
  return found;
}

/** Moves the k-th smallest of values[lo..hi] to position k, the smaller ones left of it, the larger right. */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const [x, y, z] = [a[lo], a[mid], a[hi]];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    // lo..j ≤ pivot, i..hi ≥ pivot, and anything between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * Histogram upper bounds for durations in minutes: roughly log-spaced — 5 min, 15, 30, 1 h,
 * 2 h, 4 h, 8 h, 1 day, 2 days, 1 week, 30 days — then an overflow bin. Fixed (not derived
 * from the data) so that two reports, or two teams, can be compared bin by bin.
 */
export const MINUTE_HISTOGRAM_BOUNDS: readonly number[] = Object.freeze([5, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080, 43200]);

/** Histogram upper bounds for ages in days (overdue action items). */
export const DAY_HISTOGRAM_BOUNDS: readonly number[] = Object.freeze([1, 3, 7, 14, 30, 60, 90, 180, 365]);

/**
 * The upper bound of the last, open-ended bin. Infinity would be the honest value but is not
 * a valid GraphQL Float (nor JSON), so the largest finite double stands in; a UI shows the
 * bin as "more than <previous bound>".
 */
export const HISTOGRAM_OVERFLOW_BOUND = Number.MAX_VALUE;

export interface HistogramBin {
  readonly upperBound: number;
  readonly count: number;
}

export interface DistributionStats {
  readonly count: number;
  readonly median: number | null;
  readonly p90: number | null;
  readonly max: number | null;
  readonly histogram: HistogramBin[];
}

/**
 * Counts per bin; a bin holds values in (previous bound, upperBound], the first bin also
 * everything below it. Every bin is present, empty ones with 0, so charts keep their axis.
 */
export function histogram(values: readonly number[], bounds: readonly number[] = MINUTE_HISTOGRAM_BOUNDS): HistogramBin[] {
  const uppers = [...bounds, HISTOGRAM_OVERFLOW_BOUND];
  const counts = uppers.map(() => 0);
  for (const v of values) {
    const i = uppers.findIndex((u) => v <= u);
    counts[i === -1 ? uppers.length - 1 : i]++;
  }
  return uppers.map((upperBound, i) => ({ upperBound, count: counts[i] }));
}

/**
 * PRODUCT.md 5: a distribution is count, median, p90 (both interpolatePercentile), max and a
 * histogram — never a mean. Missing values (null, undefined, NaN — incidents lacking the
 * milestone) are left out; with nothing left, median/p90/max are null and every bin is 0.
 */
export function distributionStats(values: readonly (number | null | undefined)[], bounds: readonly number[] = MINUTE_HISTOGRAM_BOUNDS): DistributionStats {
  return distributionOf(Float64Array.from(values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v))), bounds);
}

/**
 * distributionStats of values all present (no NaN), in one pass and a selection of the
 * ranks the quantiles need instead of a sort: what the API computes from the values a
 * statement returns. Reorders `values` in place.
 */
export function distributionOf(values: Float64Array, bounds: readonly number[] = MINUTE_HISTOGRAM_BOUNDS): DistributionStats {
  const n = values.length;
  const uppers = [...bounds, HISTOGRAM_OVERFLOW_BOUND];
  const counts = uppers.map(() => 0);
  let max = -Infinity;
  for (const v of values) {
    if (v > max) max = v;
    let i = 0;
    while (i < uppers.length - 1 && !(v <= uppers[i])) i++;
    counts[i]++;
  }
  const { median, p90 } = DISTRIBUTION_QUANTILES;
  const at = valuesAtRanks(values, n === 0 ? [] : [...percentileRanks(n, median), ...percentileRanks(n, p90)]);
  const read = (rank: number): number => at.get(rank) as number;
  return {
    count: n,
    median: interpolatePercentile(n, median, read),
    p90: interpolatePercentile(n, p90, read),
    max: n ? max : null,
    histogram: uppers.map((upperBound, i) => ({ upperBound, count: counts[i] })),
  };
}
