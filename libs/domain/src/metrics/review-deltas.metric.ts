import { MS_PER_DAY, roundTo } from '../time/time.util';

/** The reliability review's headline figures (issue 15), in display order. */
export const HEADLINE_METRICS = [
  'INCIDENTS', 'INCIDENTS_SEV1', 'INCIDENTS_SEV2', 'INCIDENTS_SEV3', 'INCIDENTS_SEV4',
  'TTD_MEDIAN', 'TTD_P90', 'TTM_MEDIAN', 'TTM_P90', 'TTR_MEDIAN', 'TTR_P90',
  'REPEAT_INCIDENTS', 'POSTMORTEMS_ON_TIME_RATE', 'OVERDUE_P0_P1', 'BUDGETS_EXHAUSTED', 'COST',
  // DORA (issue 25; docs/dora.md).
  'DEPLOYMENTS_PER_DAY', 'CHANGE_FAILURE_RATE', 'RECOVERY_MEDIAN', 'RECOVERY_P90',
] as const;
export type HeadlineMetric = (typeof HEADLINE_METRICS)[number];

/** Every figure is better when lower except the share of postmortems published on time and the deployment frequency. */
export const higherIsBetter = (metric: HeadlineMetric): boolean => metric === 'POSTMORTEMS_ON_TIME_RATE' || metric === 'DEPLOYMENTS_PER_DAY';

export interface PeriodDelta {
  readonly value: number | null;
  readonly previous: number | null;
  /** value − previous; null when either is null. */
  readonly change: number | null;
  /** change ÷ previous; null when previous is null or 0 (no finite ratio). */
  readonly relativeChange: number | null;
  /** true = improved, false = got worse, null = unchanged or not comparable. */
  readonly better: boolean | null;
}

/**
 * A figure against the same figure for the previous period of equal length. The change is
 * rounded to 1e-9 so that float noise (0.3 − 0.1) never reads as a change; money is rounded
 * to cents by the caller before it gets here.
 */
export function periodDelta(metric: HeadlineMetric, value: number | null, previous: number | null): PeriodDelta {
  if (value === null || previous === null || !Number.isFinite(value) || !Number.isFinite(previous)) {
    return { value, previous, change: null, relativeChange: null, better: null };
  }
  const change = roundTo(value - previous, 9);
  const relativeChange = previous === 0 ? null : roundTo(change / previous, 9);
  const better = change === 0 ? null : (change < 0) !== higherIsBetter(metric);
  return { value, previous, change, relativeChange, better };
}

const isMonthStart = (d: Date): boolean => d.getUTCDate() === 1 && d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;

/**
 * The previous period of equal length: [from − (to − from), from). A range of whole calendar
 * months (both ends on the 1st, 00:00 UTC) is compared with as many whole months before it,
 * so a quarter is compared with the previous quarter whatever the months' lengths.
 */
export function previousRange(from: Date, to: Date): { from: Date; to: Date } {
  if (isMonthStart(from) && isMonthStart(to)) {
    const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
    return { from: new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() - months, 1)), to: new Date(from.getTime()) };
  }
  return { from: new Date(from.getTime() - (to.getTime() - from.getTime())), to: new Date(from.getTime()) };
}

/**
 * The instant a "state at the end of the period" figure is read at (overdue items, budgets):
 * the end of the period, or now when the period has not ended yet.
 */
export function periodEndAsOf(periodEnd: Date, now: Date): Date {
  return periodEnd.getTime() > now.getTime() ? new Date(now.getTime()) : periodEnd;
}

/**
 * How much of [periodStart, periodEnd) a report over [from, to) could see by `now`, in days:
 * the first and last periods may be cut by the range, the current one by the clock. Rates
 * (incidents per day) compare periods of unequal exposure (months of 28–31 days, partial weeks).
 */
export function periodExposureDays(periodStart: Date, periodEnd: Date, from: Date, to: Date, now: Date): number {
  const start = Math.max(periodStart.getTime(), from.getTime());
  const end = Math.min(periodEnd.getTime(), to.getTime(), now.getTime());
  return end > start ? (end - start) / MS_PER_DAY : 0;
}

export interface DatedItem {
  readonly dueAt: Date;
  /** When it was closed (DONE or WONT_DO); null while open. */
  readonly completedAt: Date | null;
}

/**
 * How many items were open and past due at each instant, as known now: due before it (the
 * current due date: a later extension is not replayed) and not closed by then. When the item
 * was created does not matter, so backfilled history (items created today for incidents of
 * years ago) shows the debt those incidents left.
 */
export function overdueCountsAt(items: readonly DatedItem[], instants: readonly Date[]): number[] {
  return instants.map((at) => {
    const t = at.getTime();
    return items.filter((i) => i.dueAt.getTime() < t && (i.completedAt === null || i.completedAt.getTime() > t)).length;
  });
}
