import { FactorCategory, SafeguardKind, TrendInterval } from '../enums/contract.enums';
import { binomialTails, CHANGE_ALPHA, logGamma } from '../metrics/change-detection.metric';
import { bucketByPeriod } from '../metrics/periods.metric';
import { humanize } from './similarity.rule';

/**
 * Themes (PRODUCT.md 5, issue 26): counts of factor categories, failed-safeguard kinds and
 * hand-named themes among the incidents of a period, each with an exact 95 % interval for
 * its rate (Poisson, Garwood) and compared with the previous period by the exact conditional
 * test "what changed" uses for incident counts (k ~ Binomial(k + K, e / (e + E)), two-sided,
 * CHANGE_ALPHA). Below THEME_MIN_SAMPLE incidents in both periods together the comparison says
 * TOO_FEW rather than a direction: a small sample is named, not read.
 */
export const THEME_MIN_SAMPLE = 5;
export const THEME_INTERVAL_LEVEL = 0.95;

export type ThemeKind = 'FACTOR_CATEGORY' | 'SAFEGUARD_KIND' | 'NAMED';
export type ThemeChange = 'UP' | 'DOWN' | 'SAME' | 'TOO_FEW';

export interface ThemeIncident {
  readonly id: string;
  readonly startedAt: Date;
  readonly categories: readonly FactorCategory[];
  readonly safeguardKinds: readonly SafeguardKind[];
  /** Hand-named themes tagged on the incident: id and name. */
  readonly named: readonly { readonly id: string; readonly name: string }[];
}

export interface ThemeFigure {
  /** `category:<CATEGORY>`, `safeguard:<KIND>` or `theme:<id>`. */
  readonly key: string;
  readonly kind: ThemeKind;
  readonly label: string;
  readonly count: number;
  readonly previousCount: number;
  /** Exact 95 % interval of the count (the Poisson mean that produced it). */
  readonly countLow: number;
  readonly countHigh: number;
  readonly change: ThemeChange;
  /** Two-sided p-value of the comparison with the previous period; null when TOO_FEW. */
  readonly pValue: number | null;
  /** Incidents of the period with the theme, oldest first. */
  readonly incidentIds: string[];
  /** Count per period of the range (interval), empty ones included. */
  readonly points: { periodStart: Date; count: number }[];
}

/** log P(X = i) for X ~ Poisson(λ). */
const logPmf = (i: number, lambda: number): number => (lambda === 0 ? (i === 0 ? 0 : -Infinity) : -lambda + i * Math.log(lambda) - logGamma(i + 1));

/** P(X ≤ k) for X ~ Poisson(λ), summed in log space from the largest term. */
export function poissonCdf(k: number, lambda: number): number {
  if (k < 0) return 0;
  if (lambda === 0) return 1;
  let total = 0;
  for (let i = 0; i <= k; i++) total += Math.exp(logPmf(i, lambda));
  return Math.min(1, total);
}

/** The exact (Garwood) interval of a Poisson mean given `k` events, at `level`. */
export function poissonInterval(k: number, level: number = THEME_INTERVAL_LEVEL): { low: number; high: number } {
  const tail = (1 - level) / 2;
  // low: P(X ≥ k; λ) = tail; high: P(X ≤ k; λ) = tail. Both monotone in λ: bisection.
  const solve = (f: (l: number) => number, lo: number, hi: number): number => {
    for (let n = 0; n < 200 && hi - lo > 1e-10 * Math.max(1, hi); n++) {
      const mid = (lo + hi) / 2;
      if (f(mid) > 0) hi = mid;
      else lo = mid;
    }
    return (lo + hi) / 2;
  };
  const top = k + 10 * Math.sqrt(k + 1) + 10;
  const low = k === 0 ? 0 : solve((l) => 1 - poissonCdf(k - 1, l) - tail, 0, top);
  const high = solve((l) => tail - poissonCdf(k, l), 0, top);
  return { low: round(low), high: round(high) };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The comparison of `count` over `exposure` with `previousCount` over `previousExposure`. */
export function compareCounts(count: number, previousCount: number, exposure = 1, previousExposure = 1): { change: ThemeChange; pValue: number | null } {
  const n = count + previousCount;
  if (n < THEME_MIN_SAMPLE) return { change: 'TOO_FEW', pValue: null };
  const { lower, upper } = binomialTails(count, n, exposure / (exposure + previousExposure));
  const pValue = Math.min(1, 2 * Math.min(lower, upper));
  const expected = (n * exposure) / (exposure + previousExposure);
  return { change: pValue >= CHANGE_ALPHA ? 'SAME' : count > expected ? 'UP' : 'DOWN', pValue };
}

interface Entry { key: string; kind: ThemeKind; label: string }

function entriesOf(i: ThemeIncident): Entry[] {
  const out = new Map<string, Entry>();
  for (const c of i.categories) out.set(`category:${c}`, { key: `category:${c}`, kind: 'FACTOR_CATEGORY', label: humanize(c) });
  for (const s of i.safeguardKinds) out.set(`safeguard:${s}`, { key: `safeguard:${s}`, kind: 'SAFEGUARD_KIND', label: `failed safeguard: ${humanize(s)}` });
  for (const t of i.named) out.set(`theme:${t.id}`, { key: `theme:${t.id}`, kind: 'NAMED', label: t.name });
  return [...out.values()];
}

export interface ThemesInput {
  readonly from: Date;
  readonly to: Date;
  readonly interval: TrendInterval;
  /** Incidents of [from, to) passing the filter. */
  readonly incidents: readonly ThemeIncident[];
  /** Incidents of the previous range passing the filter, and that range's length relative to [from, to) (days over days). */
  readonly previous: readonly ThemeIncident[];
  readonly previousExposureRatio?: number;
}

/**
 * The themes of [from, to): every key occurring in it or in the previous range, an incident
 * counted once per key. Most frequent first, then the larger rise, then by key.
 */
export function themes(input: ThemesInput): ThemeFigure[] {
  const current = new Map<string, { entry: Entry; incidents: ThemeIncident[] }>();
  const before = new Map<string, number>();
  const labels = new Map<string, Entry>();
  for (const i of input.previous) for (const e of entriesOf(i)) {
    before.set(e.key, (before.get(e.key) ?? 0) + 1);
    labels.set(e.key, e);
  }
  for (const i of input.incidents) for (const e of entriesOf(i)) {
    const c = current.get(e.key) ?? { entry: e, incidents: [] };
    c.incidents.push(i);
    current.set(e.key, c);
    labels.set(e.key, e);
  }
  const keys = new Set([...current.keys(), ...before.keys()]);
  const out = [...keys].map((key): ThemeFigure => {
    const entry = labels.get(key) as Entry;
    const mine = (current.get(key)?.incidents ?? []).slice().sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a.id < b.id ? -1 : 1));
    const count = mine.length;
    const previousCount = before.get(key) ?? 0;
    const { low, high } = poissonInterval(count);
    return {
      ...entry,
      count,
      previousCount,
      countLow: low,
      countHigh: high,
      ...compareCounts(count, previousCount, 1, input.previousExposureRatio ?? 1),
      incidentIds: mine.map((i) => i.id),
      points: bucketByPeriod(mine, (i) => i.startedAt, input.from, input.to, input.interval).map((b) => ({ periodStart: b.periodStart, count: b.items.length })),
    };
  });
  return out.sort((a, b) => b.count - a.count || (b.count - b.previousCount) - (a.count - a.previousCount) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
