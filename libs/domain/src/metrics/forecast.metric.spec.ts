import { forecastMonthlyCounts, normalQuantile } from './forecast.metric';

const Z80 = 1.2815515655446004;

describe('normalQuantile', () => {
  it('inverts the standard normal distribution', () => {
    expect(normalQuantile(0.9)).toBeCloseTo(Z80, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 8);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('forecastMonthlyCounts', () => {
  it('has nothing to say without history', () => {
    expect(forecastMonthlyCounts([])).toEqual({ method: 'no forecast: no complete month of history', level: 0.8, points: [] });
  });

  it('uses the mean with too little history; one month gets a Poisson interval', () => {
    const f = forecastMonthlyCounts([4]);
    expect(f.method).toMatch(/^mean of the last 1 month \(too little history/);
    expect(f.points).toHaveLength(3);
    // sd undefined (0): σ = √4.
    for (const p of f.points) {
      expect(p.expected).toBe(4);
      expect(p.low).toBeCloseTo(4 - Z80 * 2, 5);
      expect(p.high).toBeCloseTo(4 + Z80 * 2, 5);
    }
  });

  it('averages the last six months with an interval from their spread', () => {
    // The last six: 2, 4, 6, 8, 10, 12 → mean 7, sd √14; σ = √14 × √(1 + 1/6) = √(98/6).
    const f = forecastMonthlyCounts([100, 100, 2, 4, 6, 8, 10, 12]);
    expect(f.method).toMatch(/^mean of the last 6 months/);
    const sigma = Math.sqrt(14 * (7 / 6));
    expect(f.points[0].expected).toBe(7);
    expect(f.points[0].low).toBeCloseTo(7 - Z80 * sigma, 5);
    expect(f.points[2].high).toBeCloseTo(7 + Z80 * sigma, 5);
  });

  it('forecasts zero for months without incidents, never below', () => {
    expect(forecastMonthlyCounts([0, 0, 0]).points).toEqual([{ expected: 0, low: 0, high: 0 }, { expected: 0, low: 0, high: 0 }, { expected: 0, low: 0, high: 0 }]);
  });

  it("continues a straight line with Holt's linear trend from 12 months on", () => {
    const line = Array.from({ length: 18 }, (_, t) => 10 + 2 * t);
    const f = forecastMonthlyCounts(line);
    expect(f.method).toMatch(/^Holt's linear trend, fitted on 18 months/);
    f.points.forEach((p, k) => {
      const expected = 10 + 2 * (18 + k);
      expect(p.expected).toBeCloseTo(expected, 9);
      // A perfect fit leaves no residual: the interval is the Poisson floor.
      expect(p.high - p.expected).toBeCloseTo(Z80 * Math.sqrt(p.expected), 6);
    });
  });

  it('clips a falling trend at zero', () => {
    const falling = Array.from({ length: 15 }, (_, t) => 30 - 2 * t);
    for (const p of forecastMonthlyCounts(falling).points) {
      expect(p.expected).toBeGreaterThanOrEqual(0);
      expect(p.low).toBeGreaterThanOrEqual(0);
    }
    expect(forecastMonthlyCounts(falling).points[1]).toEqual({ expected: 0, low: 0, high: 0 });
  });

  it('continues trend and season with Holt-Winters from 24 months on', () => {
    const season = [3, 1, -2, -4, -3, 0, 2, 4, 3, 1, -2, -3];
    const y = Array.from({ length: 36 }, (_, t) => 20 + 0.5 * t + season[t % 12]);
    const f = forecastMonthlyCounts(y);
    expect(f.method).toMatch(/^Holt-Winters, additive, 12-month season, fitted on 36 months/);
    expect(f.points.map((p) => p.expected)).toEqual([0, 1, 2].map((k) => expect.closeTo(20 + 0.5 * (36 + k) + season[k], 9)));
  });

  it('widens the interval with the residuals of a noisy series', () => {
    const season = [3, 1, -2, -4, -3, 0, 2, 4, 3, 1, -2, -3];
    const noise = [6, -9, 3, 12, -6, 0, -3, 9, -12, 6, 3, -6];
    const y = Array.from({ length: 48 }, (_, t) => 30 + season[t % 12] + noise[(t * 7) % 13 % 12]);
    const f = forecastMonthlyCounts(y);
    for (const p of f.points) {
      expect(p.low).toBeLessThan(p.expected);
      expect(p.high - p.expected).toBeGreaterThan(Z80 * Math.sqrt(p.expected));
    }
    // Farther months are no more certain than nearer ones.
    expect(f.points[2].high - f.points[2].expected).toBeGreaterThanOrEqual(f.points[0].high - f.points[0].expected - 1e-9);
  });

  it('takes another coverage level', () => {
    const f = forecastMonthlyCounts([4], 2, 0.95);
    expect(f.level).toBe(0.95);
    expect(f.method).toContain('95 % interval');
    expect(f.points).toHaveLength(2);
    expect(f.points[0].high).toBeCloseTo(4 + 1.959963984540054 * 2, 6);
  });
});
