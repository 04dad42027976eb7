import {
  DAY_HISTOGRAM_BOUNDS, distributionOf, distributionStats, histogram, HISTOGRAM_OVERFLOW_BOUND, interpolatePercentile, MINUTE_HISTOGRAM_BOUNDS, percentileCont,
  percentileRanks, sortedRange, valuesAtRanks,
} from './percentiles.metric';

const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('percentileCont (as PostgreSQL percentile_cont)', () => {
  it('null for no values, like SQL NULL', () => {
    expect(percentileCont([], 0.5)).toBeNull();
  });

  it('a single value is every percentile', () => {
    for (const p of [0, 0.1, 0.5, 0.9, 1]) expect(percentileCont([7], p)).toBe(7);
  });

  it('interpolates between the closest ranks (hand-computed)', () => {
    // rank = p × (n − 1)
    expect(percentileCont(oneToTen, 0.5)).toBe(5.5); // rank 4.5: 5 + 0.5 × (6 − 5)
    expect(percentileCont(oneToTen, 0.9)).toBeCloseTo(9.1, 12); // rank 8.1: 9 + 0.1 × (10 − 9)
    expect(percentileCont([10, 20, 30, 40], 0.9)).toBeCloseTo(37, 12); // rank 2.7: 30 + 0.7 × 10
    expect(percentileCont([10, 20, 30, 40], 0.5)).toBe(25); // rank 1.5
    expect(percentileCont([0, 100], 0.9)).toBeCloseTo(90, 12);
    expect(percentileCont([5, 15, 1000], 0.9)).toBeCloseTo(803, 12); // rank 1.8: 15 + 0.8 × 985
    expect(percentileCont([3, 3, 3, 10], 0.5)).toBe(3);
  });

  it('lands exactly on a value when the rank is whole', () => {
    expect(percentileCont([1, 2, 3], 0.5)).toBe(2);
    expect(percentileCont(oneToTen, 0)).toBe(1);
    expect(percentileCont(oneToTen, 1)).toBe(10);
    expect(percentileCont([2, 4, 6, 8, 10, 12], 0.2)).toBe(4); // rank 1
  });

  it('refuses a percentile outside [0, 1]', () => {
    expect(() => percentileCont([1], 1.5)).toThrow(RangeError);
    expect(() => percentileCont([1], -0.1)).toThrow(RangeError);
    expect(() => percentileCont([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('histogram', () => {
  it('bins are (previous, upper], plus an overflow bin', () => {
    const h = histogram([0, 5, 5.01, 15, 16, 43200, 43201, 1e9]);
    expect(h).toHaveLength(MINUTE_HISTOGRAM_BOUNDS.length + 1);
    expect(h[0]).toEqual({ upperBound: 5, count: 2 });
    expect(h[1]).toEqual({ upperBound: 15, count: 2 });
    expect(h[2]).toEqual({ upperBound: 30, count: 1 });
    expect(h[h.length - 2]).toEqual({ upperBound: 43200, count: 1 });
    expect(h[h.length - 1]).toEqual({ upperBound: HISTOGRAM_OVERFLOW_BOUND, count: 2 });
  });

  it('negative values fall in the first bin; counts add up', () => {
    const values = [-3, 1, 100, 1000, 10000, 100000];
    const h = histogram(values);
    expect(h[0].count).toBe(2);
    expect(h.reduce((s, b) => s + b.count, 0)).toBe(values.length);
  });

  it('the overflow bound is finite so GraphQL and JSON can carry it', () => {
    expect(Number.isFinite(HISTOGRAM_OVERFLOW_BOUND)).toBe(true);
    expect(JSON.parse(JSON.stringify({ b: HISTOGRAM_OVERFLOW_BOUND })).b).toBe(HISTOGRAM_OVERFLOW_BOUND);
  });

  it('bounds are increasing', () => {
    for (const bounds of [MINUTE_HISTOGRAM_BOUNDS, DAY_HISTOGRAM_BOUNDS]) {
      for (let i = 1; i < bounds.length; i++) expect(bounds[i]).toBeGreaterThan(bounds[i - 1]);
    }
  });
});

describe('distributionStats', () => {
  it('empty: count 0, nulls, all bins zero', () => {
    const s = distributionStats([]);
    expect(s).toEqual({ count: 0, median: null, p90: null, max: null, histogram: expect.any(Array) });
    expect(s.histogram.every((b) => b.count === 0)).toBe(true);
    expect(distributionStats([null, undefined, Number.NaN]).count).toBe(0);
  });

  it('one value', () => {
    const s = distributionStats([42]);
    expect([s.count, s.median, s.p90, s.max]).toEqual([1, 42, 42, 42]);
    expect(s.histogram.find((b) => b.upperBound === 60)?.count).toBe(1);
  });

  it('sorts, skips missing values and computes continuous percentiles', () => {
    const s = distributionStats([10, null, 3, 7, undefined, 1, 9, 2, 8, 4, 6, 5]);
    expect(s.count).toBe(10);
    expect(s.median).toBe(5.5);
    expect(s.p90).toBeCloseTo(9.1, 12);
    expect(s.max).toBe(10);
  });

  it('takes other bounds for other units', () => {
    const s = distributionStats([0.5, 2, 40], DAY_HISTOGRAM_BOUNDS);
    expect(s.histogram.map((b) => b.count)).toEqual([1, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
  });
});

describe('sortedRange (selection instead of a sort)', () => {
  /** A deterministic pseudo-random sequence (no Math.random in tests). */
  const sequence = (n: number, seed: number, distinct = 1e9): Float64Array => {
    const out = new Float64Array(n);
    let x = seed;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      out[i] = (x % distinct) / 7;
    }
    return out;
  };

  it('gives what a full sort puts at those positions, for every narrow range', () => {
    for (const [n, seed, distinct] of [[1, 1, 10], [2, 3, 10], [3, 5, 2], [17, 7, 1e9], [100, 11, 5], [1000, 13, 1e9], [1001, 17, 3]] as const) {
      const values = sequence(n, seed, distinct);
      const sorted = Array.from(values).sort((a, b) => a - b);
      for (let first = 0; first < n; first += Math.max(1, Math.floor(n / 37))) {
        for (const width of [0, 1, 2, 9]) {
          const last = Math.min(n - 1, first + width);
          expect(sortedRange(values.slice(), first, last)).toEqual(sorted.slice(first, last + 1));
        }
      }
    }
  });

  it('handles sorted, reversed and constant input (the pivot choice keeps them linear)', () => {
    const n = 50_001;
    const up = Float64Array.from({ length: n }, (_, i) => i);
    const down = up.slice().reverse();
    expect(sortedRange(up.slice(), 25_000, 25_001)).toEqual([25_000, 25_001]);
    expect(sortedRange(down, 45_000, 45_000)).toEqual([45_000]);
    expect(sortedRange(new Float64Array(n).fill(3.5), 0, 2)).toEqual([3.5, 3.5, 3.5]);
  });

  it('the whole input is a full sort; negative values and duplicates are ordered too', () => {
    expect(sortedRange(Float64Array.from([3, -1, 2, -1, 0]), 0, 4)).toEqual([-1, -1, 0, 2, 3]);
  });

  it('refuses positions outside the values (a programming error, not a plausible number)', () => {
    expect(() => sortedRange(new Float64Array(3), 2, 3)).toThrow(RangeError);
    expect(() => sortedRange(new Float64Array(3), -1, 0)).toThrow(RangeError);
    expect(() => sortedRange(new Float64Array(3), 2, 1)).toThrow(RangeError);
    expect(() => sortedRange(new Float64Array(0), 0, 0)).toThrow(RangeError);
  });
});

describe('interpolatePercentile (the one interpolation)', () => {
  it('reads only the two ranks percentileRanks names', () => {
    const asked: number[] = [];
    const at = (rank: number): number => {
      asked.push(rank);
      return rank * 10;
    };
    expect(percentileRanks(10, 0.9)).toEqual([8, 9]);
    expect(interpolatePercentile(10, 0.9, at)).toBeCloseTo(81, 12);
    expect(asked).toEqual([8, 9]);
    asked.length = 0;
    expect(percentileRanks(3, 0.5)).toEqual([1, 1]);
    expect(interpolatePercentile(3, 0.5, at)).toBe(10);
    expect(asked).toEqual([1]);
  });

  it('is percentileCont over an array, null for no values, and refuses a quantile outside [0, 1]', () => {
    const sorted = [1, 4, 4, 9, 30];
    for (const q of [0, 0.1, 0.5, 0.9, 1]) expect(interpolatePercentile(sorted.length, q, (r) => sorted[r])).toBe(percentileCont(sorted, q));
    expect(interpolatePercentile(0, 0.5, () => 1)).toBeNull();
    expect(() => interpolatePercentile(3, 2, () => 1)).toThrow(RangeError);
    expect(() => percentileRanks(3, -1)).toThrow(RangeError);
  });
});

describe('valuesAtRanks and distributionOf (selection instead of a sort)', () => {
  const values = Float64Array.from([7, 3, 3, 12.5, -1, 0, 44, 3, 9, 1e6, 5]);
  const sorted = Array.from(values).sort((a, b) => a - b);

  it('finds what a sort puts at each rank, in any order asked', () => {
    const found = valuesAtRanks(values.slice(), [9, 0, 5, 5, 10]);
    expect([...found.entries()].sort((a, b) => a[0] - b[0])).toEqual([0, 5, 9, 10].map((r) => [r, sorted[r]]));
    expect(() => valuesAtRanks(values.slice(), [11])).toThrow(RangeError);
  });

  it('gives distributionStats to the bit, for minutes and for days', () => {
    for (const bounds of [MINUTE_HISTOGRAM_BOUNDS, DAY_HISTOGRAM_BOUNDS]) {
      expect(distributionOf(values.slice(), bounds)).toEqual(distributionStats(Array.from(values), bounds));
    }
    expect(distributionOf(new Float64Array(0))).toEqual(distributionStats([]));
  });
});
