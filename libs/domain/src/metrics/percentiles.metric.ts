/**
 * PostgreSQL's percentile_cont over ascending `sortedValues`: the value at fractional rank
 * p × (n − 1), interpolated linearly between the two closest ranks. Null for an empty
 * input, like SQL's NULL. `p` outside [0, 1] is a programming error (PostgreSQL raises one
 * too), so it throws a RangeError rather than returning a plausible number.
 */
export function percentileCont(sortedValues: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be between 0 and 1 (got ${p})`);
  const n = sortedValues.length;
  if (n === 0) return null;
  const rank = p * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sortedValues[lo];
  if (lo === hi) return a;
  return a + (sortedValues[hi] - a) * (rank - lo);
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
 * PRODUCT.md 5: a distribution is count, median, p90 (both percentile_cont), max and a
 * histogram — never a mean. Missing values (null, undefined, NaN — incidents lacking the
 * milestone) are left out; with nothing left, median/p90/max are null and every bin is 0.
 */
export function distributionStats(values: readonly (number | null | undefined)[], bounds: readonly number[] = MINUTE_HISTOGRAM_BOUNDS): DistributionStats {
  const present = values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v)).sort((a, b) => a - b);
  return {
    count: present.length,
    median: percentileCont(present, 0.5),
    p90: percentileCont(present, 0.9),
    max: present.length ? present[present.length - 1] : null,
    histogram: histogram(present, bounds),
  };
}
