import {
  binomialTails, ChangePeriod, CHANGE_ALPHA, detectChanges, logGamma, mannWhitneyU, normalCdf,
} from './change-detection.metric';

const DAY = 86_400_000;
const start = Date.UTC(2024, 0, 1);
/** Week k of a series: 7 days observed, `incidents` incidents, durations as given. */
function wk(k: number, incidents: number, ttr: number[] = [], extra: Partial<ChangePeriod> = {}): ChangePeriod {
  return {
    periodStart: new Date(start + k * 7 * DAY), periodEnd: new Date(start + (k + 1) * 7 * DAY), exposureDays: 7,
    incidents, ttd: [], ttm: [], ttr, costs: [], ...extra,
  };
}
/** n choose k as a float, multiplicatively. */
const choose = (n: number, k: number): number => {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
};
const binomUpper = (k: number, n: number, p: number): number => {
  let s = 0;
  for (let j = k; j <= n; j++) s += choose(n, j) * p ** j * (1 - p) ** (n - j);
  return s;
};

describe('special functions', () => {
  it('logGamma is ln((x − 1)!) at integers and ln √π at ½', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(21)).toBeCloseTo(Math.log(2432902008176640000), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('binomialTails sums the probability mass on each side of k, k included', () => {
    const zero = binomialTails(0, 3, 0.5);
    expect(zero.lower).toBeCloseTo(0.125, 12);
    expect(zero.upper).toBeCloseTo(1, 12);
    const t = binomialTails(3, 10, 0.2);
    expect(t.upper).toBeCloseTo(binomUpper(3, 10, 0.2), 12);
    expect(t.lower).toBeCloseTo(1 - binomUpper(4, 10, 0.2), 12);
    expect(binomialTails(2, 5, 0)).toEqual({ lower: 1, upper: 0 });
    // Both sides of the mode, against the sums written out.
    for (const k of [0, 1, 5, 9, 10]) {
      const both = binomialTails(k, 10, 0.3);
      expect(both.upper).toBeCloseTo(binomUpper(k, 10, 0.3), 12);
      expect(both.lower).toBeCloseTo(1 - binomUpper(k + 1, 10, 0.3), 12);
    }
  });

  it('binomialTails stays fast and right for a company-sized count', () => {
    // 200 000 trials at p = 0.1: mean 20 000, sd √18 000; 20 400 is 2.98 sd above.
    // The fastest of three calls: a busy machine can pause any one of them, not all three.
    const times = [0, 1, 2].map(() => {
      const t0 = performance.now();
      binomialTails(20_400, 200_000, 0.1);
      return performance.now() - t0;
    });
    expect(Math.min(...times)).toBeLessThan(50);
    const { upper, lower } = binomialTails(20_400, 200_000, 0.1);
    expect(upper).toBeCloseTo(1 - normalCdf((20_400 - 0.5 - 20_000) / Math.sqrt(18_000)), 3);
    expect(lower).toBeGreaterThan(0.99);
  });

  it('normalCdf is the standard normal distribution', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.5758293035489)).toBeCloseTo(0.005, 6);
  });
});

describe('mannWhitneyU', () => {
  it('is exact without ties: two samples of 3 split completely give p = 2 / C(6, 3)', () => {
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6])).toEqual({ u: 0, pValue: 0.1, exact: true });
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3])).toEqual({ u: 9, pValue: 0.1, exact: true });
    // U = 1: P(U ≤ 1) + P(U ≥ 8) = (1 + 1 + 1 + 1) / 20.
    expect(mannWhitneyU([1, 2, 4], [3, 5, 6]).pValue).toBeCloseTo(0.2, 12);
    // Five against five split completely: 2 / C(10, 5) = 2 / 252 (as scipy.stats.mannwhitneyu, method="exact").
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).pValue).toBeCloseTo(2 / 252, 12);
    // Interleaved: no evidence at all.
    expect(mannWhitneyU([1, 3, 5, 7], [2, 4, 6, 8]).pValue).toBeGreaterThan(0.5);
  });

  it('uses the tie-corrected normal approximation with ties', () => {
    const r = mannWhitneyU([10, 10, 20], [10, 20, 20, 30]);
    // Ranks: 10 ×3 → 2, 20 ×3 → 5, 30 → 7; R1 = 2 + 2 + 5 = 9, U = 9 − 6 = 3; ties (3³ − 3) × 2 = 48.
    expect(r.u).toBe(3);
    expect(r.exact).toBe(false);
    const variance = (3 * 4 / 12) * (8 - 48 / (7 * 6));
    expect(r.pValue).toBeCloseTo(2 * (1 - normalCdf((6 - 3 - 0.5) / Math.sqrt(variance))), 10);
  });

  it('says p = 1 when every value is the same', () => {
    expect(mannWhitneyU([0, 0, 0], [0, 0, 0, 0, 0]).pValue).toBe(1);
  });
});

describe('detectChanges', () => {
  const steady = Array.from({ length: 8 }, (_, k) => wk(k, 2, [10 + k, 20 + k]));

  it('flags a burst of incidents with the exact conditional Poisson test, and nothing in steady weeks', () => {
    const changes = detectChanges([...steady, wk(8, 10)], 0);
    expect(changes).toHaveLength(1);
    const [c] = changes;
    // 10 against 16 in 8 equal weeks: X ~ Binomial(26, 1/9); expected 16 / 8 = 2.
    expect(c).toMatchObject({ index: 8, metric: 'INCIDENTS', direction: 'WORSE', value: 10, baseline: 2 });
    expect(c.pValue).toBeCloseTo(2 * binomUpper(10, 26, 1 / 9), 12);
    expect(c.pValue).toBeLessThan(CHANGE_ALPHA);
    expect(c.method).toContain('Poisson');
  });

  it('flags a quiet week after busy ones as better', () => {
    const busy = Array.from({ length: 8 }, (_, k) => wk(k, 10));
    const [c] = detectChanges([...busy, wk(8, 0)], 0);
    // P(X = 0) for Binomial(80, 1/9), doubled.
    expect(c).toMatchObject({ metric: 'INCIDENTS', direction: 'BETTER', value: 0, baseline: 10 });
    expect(c.pValue).toBeCloseTo(2 * (8 / 9) ** 80, 12);
  });

  it('weighs each period by its exposure: two incidents in one observed day are not a burst', () => {
    expect(detectChanges([...steady, wk(8, 2, [], { exposureDays: 1 })], 0)).toEqual([]);
    // … but eight are.
    expect(detectChanges([...steady, wk(8, 8, [], { exposureDays: 1 })], 0)[0]).toMatchObject({ metric: 'INCIDENTS', direction: 'WORSE', baseline: 16 / 56 });
  });

  it('flags a shift of the resolve times with the exact Mann-Whitney test', () => {
    const changes = detectChanges([...steady, wk(8, 3, [100, 110, 120])], 0);
    expect(changes.map((c) => c.metric)).toEqual(['TTR_MEDIAN']);
    // Three values above 16 distinct ones: p = 2 / C(19, 3).
    expect(changes[0]).toMatchObject({ direction: 'WORSE', value: 110, baseline: 18.5 });
    expect(changes[0].pValue).toBeCloseTo(2 / 969, 12);
    expect(changes[0].method).toContain('Mann-Whitney');
    const faster = detectChanges([...Array.from({ length: 8 }, (_, k) => wk(k, 2, [100 + k, 200 + k])), wk(8, 3, [1, 2, 3])], 0);
    expect(faster[0]).toMatchObject({ metric: 'TTR_MEDIAN', direction: 'BETTER', value: 2 });
  });

  it('tests durations only with enough values, and nothing without a baseline', () => {
    expect(detectChanges([...steady, wk(8, 2, [1000, 2000])], 0)).toEqual([]);
    // Three periods of baseline: too short to know what is normal.
    expect(detectChanges([...steady.slice(0, 3), wk(3, 30, [1000, 2000, 3000])], 0)).toEqual([]);
    expect(detectChanges([], 0)).toEqual([]);
  });

  it('finds nothing in a series without incidents', () => {
    expect(detectChanges(Array.from({ length: 12 }, (_, k) => wk(k, 0)), 0)).toEqual([]);
  });

  it('tests only the periods from firstTested, newest first, and skips unobserved ones', () => {
    const series = [...steady, wk(8, 10), wk(9, 2), wk(10, 12), wk(11, 0, [], { exposureDays: 0 })];
    const changes = detectChanges(series, 8);
    expect(changes.map((c) => c.index)).toEqual([10, 8]);
    expect(detectChanges(series, 9).map((c) => c.index)).toEqual([10]);
  });

  it('tests the cost per incident and the other durations alike', () => {
    const base = Array.from({ length: 8 }, (_, k) => wk(k, 2, [], { ttd: [1 + k, 2 + k], ttm: [5, 6 + k], costs: [100 + k, 200 + k] }));
    const changes = detectChanges([...base, wk(8, 3, [], { ttd: [50, 60, 70], costs: [5000, 6000, 7000], ttm: [5, 6, 7] })], 0);
    expect(changes.map((c) => [c.metric, c.direction])).toEqual([['TTD_MEDIAN', 'WORSE'], ['COST', 'WORSE']]);
    expect(changes[1]).toMatchObject({ value: 6000, measure: expect.stringContaining('cost per incident') });
  });
});

describe('detectChanges: DORA (issue 25)', () => {
  const dora = (k: number, deployments: number, failedChanges: number, recovery: number[] = []) => wk(k, 0, [], { deployments, failedChanges, recovery });

  it('flags a jump in failed changes per deployment, with the exact conditional test', () => {
    const periods = [...Array.from({ length: 8 }, (_, k) => dora(k, 50, 1)), dora(8, 50, 12)];
    const found = detectChanges(periods, 8).filter((c) => c.metric === 'CHANGE_FAILURE_RATE');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ direction: 'WORSE', value: 12 / 50, baseline: 8 / 400 });
    // k = 12 of 20 failures, each in the tested period with probability 50 / 450 under "same rate".
    expect(found[0].pValue).toBeCloseTo(2 * binomUpper(12, 20, 50 / 450), 12);
  });

  it('reads more deployments as better, fewer as worse, and steady ones as nothing', () => {
    const base = Array.from({ length: 8 }, (_, k) => dora(k, 70, 0));
    expect(detectChanges([...base, dora(8, 200, 0)], 8).map((c) => [c.metric, c.direction])).toEqual([['DEPLOYMENTS_PER_DAY', 'BETTER']]);
    expect(detectChanges([...base, dora(8, 10, 0)], 8).map((c) => [c.metric, c.direction])).toEqual([['DEPLOYMENTS_PER_DAY', 'WORSE']]);
    expect(detectChanges([...base, dora(8, 72, 0)], 8)).toEqual([]);
  });

  it('tests recovery times by rank, and ignores periods without DORA figures', () => {
    const base = Array.from({ length: 8 }, (_, k) => dora(k, 20, 2, [30 + k, 40 + k]));
    const slow = detectChanges([...base, dora(8, 20, 2, [900, 1000, 1100, 1200])], 8).filter((c) => c.metric === 'RECOVERY_MEDIAN');
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatchObject({ direction: 'WORSE', value: 1050 });
    expect(detectChanges(Array.from({ length: 9 }, (_, k) => wk(k, 3)), 8).filter((c) => c.metric !== 'INCIDENTS')).toEqual([]);
  });
});
