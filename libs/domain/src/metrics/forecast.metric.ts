import { roundTo } from '../time/time.util';

/*
 * The outlook (issue 15): incidents per month for the next months, with a prediction interval.
 * - ≥ 24 months of history: Holt-Winters, additive, 12-month season;
 * - 12–23 months: Holt's linear trend;
 * - 1–11 months: the mean of the last (up to) 6 months.
 * Smoothing parameters are chosen on a grid (0.1 … 0.9) by the smallest sum of squared
 * one-step-ahead errors. The interval is expected ± z × σ_h, σ from the one-step residuals
 * (or the spread of the months averaged), widened with the horizon as the method's state-space
 * form implies, and never narrower than a Poisson count's (σ ≥ √expected). Counts cannot be
 * negative: expected and low are clipped at 0.
 */

export const FORECAST_LEVEL = 0.8;
export const FORECAST_HORIZON = 3;
export const SEASONAL_MIN_MONTHS = 24;
export const TREND_MIN_MONTHS = 12;
export const MEAN_MONTHS = 6;
const SEASON = 12;
const GRID = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

export interface ForecastPoint {
  readonly expected: number;
  readonly low: number;
  readonly high: number;
}

export interface Forecast {
  readonly method: string;
  readonly level: number;
  /** One per month ahead; empty without history. */
  readonly points: ForecastPoint[];
}

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a quantile needs 0 < p < 1 (got ${p})`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

interface Fit {
  sse: number;
  residuals: number;
  forecast: (h: number) => number;
  /** Variance multiplier of the h-step error over the one-step error. */
  spread: (h: number) => number;
}

/**
 * Holt-Winters additive (component form), started at the end of the first season: the trend
 * is the mean change between the first two seasons, the level the first season's mean moved
 * to its last month, the seasonal indexes the first season's deviations from that line.
 */
function holtWinters(y: readonly number[], alpha: number, beta: number, gamma: number): Fit {
  const m = SEASON;
  const mean = (from: number): number => y.slice(from, from + m).reduce((s, v) => s + v, 0) / m;
  const mid = (m - 1) / 2;
  let trend = (mean(m) - mean(0)) / m;
  let level = mean(0) + trend * mid;
  const season = y.slice(0, m).map((v, j) => v - (mean(0) + trend * (j - mid)));
  let sse = 0;
  let residuals = 0;
  for (let t = m; t < y.length; t++) {
    const s = season[t - m];
    const err = y[t] - (level + trend + s);
    sse += err * err;
    residuals++;
    const previousLevel = level;
    const previousTrend = trend;
    level = alpha * (y[t] - s) + (1 - alpha) * (level + trend);
    trend = beta * (level - previousLevel) + (1 - beta) * trend;
    season.push(gamma * (y[t] - previousLevel - previousTrend) + (1 - gamma) * s);
  }
  const n = y.length;
  return {
    sse,
    residuals,
    forecast: (h) => level + h * trend + season[n - m + ((h - 1) % m)],
    spread: (h) => {
      let v = 1;
      for (let j = 1; j < h; j++) v += (alpha * (1 + j * beta) + (j % m === 0 ? gamma : 0)) ** 2;
      return v;
    },
  };
}

/** Holt's linear trend started at the second month: level = its value, trend = the first change. */
function holtLinear(y: readonly number[], alpha: number, beta: number): Fit {
  let level = y[1];
  let trend = y[1] - y[0];
  let sse = 0;
  let residuals = 0;
  for (let t = 2; t < y.length; t++) {
    const err = y[t] - (level + trend);
    sse += err * err;
    residuals++;
    const previousLevel = level;
    level = alpha * y[t] + (1 - alpha) * (level + trend);
    trend = beta * (level - previousLevel) + (1 - beta) * trend;
  }
  return {
    sse,
    residuals,
    forecast: (h) => level + h * trend,
    spread: (h) => {
      let v = 1;
      for (let j = 1; j < h; j++) v += (alpha * (1 + j * beta)) ** 2;
      return v;
    },
  };
}

function best(fits: Fit[]): Fit {
  return fits.reduce((a, b) => (b.sse < a.sse - 1e-12 ? b : a));
}

function points(expectedAt: (h: number) => number, sigmaAt: (h: number) => number, horizon: number, level: number): ForecastPoint[] {
  const z = normalQuantile(0.5 + level / 2);
  return Array.from({ length: horizon }, (_, k) => {
    const h = k + 1;
    const expected = Math.max(0, expectedAt(h));
    const sigma = Math.max(sigmaAt(h), Math.sqrt(expected));
    // Rounded to 1e-6: a perfect fit leaves float residue (1e-15) that should read as 0.
    return { expected: roundTo(expected, 6), low: roundTo(Math.max(0, expected - z * sigma), 6), high: roundTo(expected + z * sigma, 6) };
  });
}

/**
 * The next `horizon` months of incident counts after `history` (consecutive months, oldest
 * first), with a `level` prediction interval; the method is stated in one line for the chart.
 */
export function forecastMonthlyCounts(history: readonly number[], horizon = FORECAST_HORIZON, level = FORECAST_LEVEL): Forecast {
  const n = history.length;
  const pct = `${Math.round(level * 100)} % interval`;
  if (n === 0) return { method: 'no forecast: no complete month of history', level, points: [] };
  if (n >= SEASONAL_MIN_MONTHS) {
    const fits = GRID.flatMap((a) => GRID.flatMap((b) => GRID.map((g) => holtWinters(history, a, b, g))));
    const fit = best(fits);
    const sigma = Math.sqrt(fit.sse / Math.max(1, fit.residuals - 3));
    return {
      method: `Holt-Winters, additive, 12-month season, fitted on ${n} months; ${pct} from the one-step residuals`,
      level,
      points: points(fit.forecast, (h) => sigma * Math.sqrt(fit.spread(h)), horizon, level),
    };
  }
  if (n >= TREND_MIN_MONTHS) {
    const fit = best(GRID.flatMap((a) => GRID.map((b) => holtLinear(history, a, b))));
    const sigma = Math.sqrt(fit.sse / Math.max(1, fit.residuals - 2));
    return {
      method: `Holt's linear trend, fitted on ${n} months (seasonal from ${SEASONAL_MIN_MONTHS}); ${pct} from the one-step residuals`,
      level,
      points: points(fit.forecast, (h) => sigma * Math.sqrt(fit.spread(h)), horizon, level),
    };
  }
  const recent = history.slice(-MEAN_MONTHS);
  const k = recent.length;
  const mean = recent.reduce((s, v) => s + v, 0) / k;
  const sd = k > 1 ? Math.sqrt(recent.reduce((s, v) => s + (v - mean) ** 2, 0) / (k - 1)) : 0;
  return {
    method: `mean of the last ${k} month${k === 1 ? '' : 's'} (too little history for a trend: ${n} of ${TREND_MIN_MONTHS} months); ${pct} from their spread, at least a Poisson count's`,
    level,
    points: points(() => mean, () => sd * Math.sqrt(1 + 1 / k), horizon, level),
  };
}
