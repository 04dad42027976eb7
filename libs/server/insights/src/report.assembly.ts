import { distributionOf, HISTOGRAM_OVERFLOW_BOUND, OVERDUE_AGE_DAYS, overdueAgeDays, REPORT_DURATIONS, type DistributionStats, type FactorCategory } from '@hindsight/domain';

/** One period of the report (or the whole range, period null), cost in currency. */
export interface PeriodRow {
  /** Epoch ms of the period start; null on the overall row. */
  period: number | null;
  incidents: number;
  severities: [number, number, number, number];
  cost: number;
  /** The distributions of REPORT_DURATIONS by key: those declared per period on a period, all of them on the overall row. */
  durations: Record<string, DistributionStats>;
}

export interface ReportRows {
  /** One row per period that has incidents, plus the overall row (period null). */
  periods: PeriodRow[];
  categories: { category: FactorCategory; count: number }[] | null;
  repeats: number;
  actionItems: { open: number; overdue: number; done: number; doneOnTime: number; ages: DistributionStats };
  postmortems: { counted: number; onTime: number };
}

/** The additive figures of one period as a statement returns them, cost in whole cents. */
export interface PeriodSums {
  period: number;
  incidents: number;
  severities: [number, number, number, number];
  cents: number;
  repeats: number;
  pmCounted: number;
  pmOnTime: number;
  open: number;
  done: number;
  doneOnTime: number;
}

/** A distribution's additive part: count, max, histogram counts in bound order. */
export interface DistributionCounts {
  count: number;
  max: number | null;
  bins: number[];
}

const total = <R>(rows: readonly R[], pick: (r: R) => number): number => rows.reduce((n, r) => n + pick(r), 0);

/** A distribution from its additive part and its quantiles. */
export function fromCounts(c: DistributionCounts, quantiles: { median: number | null; p90: number | null }, bounds: readonly number[]): DistributionStats {
  const uppers = [...bounds, HISTOGRAM_OVERFLOW_BOUND];
  return { count: c.count, ...quantiles, max: c.count ? c.max : null, histogram: uppers.map((upperBound, i) => ({ upperBound, count: c.bins[i] ?? 0 })) };
}

/** The additive parts of several periods summed into the whole range's. */
export function sumCounts(parts: readonly DistributionCounts[]): DistributionCounts {
  const maxes = parts.map((c) => c.max).filter((m): m is number => m !== null);
  return {
    count: total(parts, (c) => c.count),
    max: maxes.length ? Math.max(...maxes) : null,
    bins: parts.length ? parts[0].bins.map((_, k) => total(parts, (c) => c.bins[k])) : [],
  };
}

/** How many days each overdue item is past due at `now`, from their due dates (epoch ms). */
export function overdueAges(dueMs: Float64Array, now: Date): DistributionStats {
  const nowMs = now.getTime();
  return distributionOf(dueMs.map((d) => overdueAgeDays(d, nowMs)), OVERDUE_AGE_DAYS.bounds);
}

/** The report's rows from its periods' sums and distributions and the whole range's distributions. */
export function assembleRows(
  periods: readonly (PeriodSums & { durations: Record<string, DistributionStats> })[],
  overall: Record<string, DistributionStats>,
  categories: ReportRows['categories'],
  ages: DistributionStats,
): ReportRows {
  // Sums of whole cents are exact integers; one division rounds like a decimal sum of the costs.
  const period = (r: PeriodSums & { durations: Record<string, DistributionStats> }): PeriodRow => ({
    period: r.period, incidents: r.incidents, severities: r.severities, cost: r.cents / 100, durations: r.durations,
  });
  const whole: PeriodRow = {
    period: null,
    incidents: total(periods, (r) => r.incidents),
    severities: [0, 1, 2, 3].map((k) => total(periods, (r) => r.severities[k])) as PeriodRow['severities'],
    cost: total(periods, (r) => r.cents) / 100,
    durations: overall,
  };
  return {
    periods: [...periods.map(period), whole],
    categories,
    repeats: total(periods, (r) => r.repeats),
    actionItems: { open: total(periods, (r) => r.open), overdue: ages.count, done: total(periods, (r) => r.done), doneOnTime: total(periods, (r) => r.doneOnTime), ages },
    postmortems: { counted: total(periods, (r) => r.pmCounted), onTime: total(periods, (r) => r.pmOnTime) },
  };
}

/** The REPORT_DURATIONS a trend point carries. */
export const PERIOD_DURATIONS = REPORT_DURATIONS.filter((d) => d.perPeriod);
