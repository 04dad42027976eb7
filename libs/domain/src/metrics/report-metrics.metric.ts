import { DURATION_SPANS, DurationName } from '../incidents/milestones.rule';
import { MS_PER_DAY } from '../time/time.util';
import { DAY_HISTOGRAM_BOUNDS, DISTRIBUTION_QUANTILES, MINUTE_HISTOGRAM_BOUNDS } from './percentiles.metric';

/**
 * A distribution of the reliability report (PRODUCT.md 5), declared once: which duration of
 * the incident it reads (DURATION_SPANS, its milestones), its histogram bounds, its quantiles,
 * and whether each trend point carries it too. The domain reference (reliabilityReport), the
 * report's rollup in the database (columns `<key>`, `<key>_count` …, and the SQL the server
 * generates from these declarations: libs/server/insights/sql) and the API's fields all follow
 * from this list.
 */
export interface ReportDuration {
  /** Short name: the rollup's column (and column prefix) for it. */
  readonly key: string;
  /** The incident's duration it is a distribution of; also the report's field. */
  readonly duration: DurationName;
  readonly bounds: readonly number[];
  readonly quantiles: typeof DISTRIBUTION_QUANTILES;
  /** Each trend point carries this distribution over its own incidents. */
  readonly perPeriod: boolean;
}

export const REPORT_DURATIONS = [
  { key: 'ttd', duration: 'timeToDetectMinutes', bounds: MINUTE_HISTOGRAM_BOUNDS, quantiles: DISTRIBUTION_QUANTILES, perPeriod: false },
  { key: 'ttm', duration: 'timeToMitigateMinutes', bounds: MINUTE_HISTOGRAM_BOUNDS, quantiles: DISTRIBUTION_QUANTILES, perPeriod: false },
  { key: 'ttr', duration: 'timeToResolveMinutes', bounds: MINUTE_HISTOGRAM_BOUNDS, quantiles: DISTRIBUTION_QUANTILES, perPeriod: true },
] as const satisfies readonly ReportDuration[];

export type ReportDurationKey = (typeof REPORT_DURATIONS)[number]['key'];
/** The report's fields of the distributions (the incident's duration names). */
export type ReportDurationField = (typeof REPORT_DURATIONS)[number]['duration'];
/** The distributions each trend point carries. */
export type PeriodDurationField = Extract<(typeof REPORT_DURATIONS)[number], { perPeriod: true }>['duration'];

/** The milestones a report distribution reads (its source columns in the rollup). */
export const reportDurationSpan = (d: ReportDuration) => DURATION_SPANS[d.duration];

/** The action-item health's distribution: how many days the overdue open items are past due, now. */
export const OVERDUE_AGE_DAYS = { field: 'overdueAgeDays', bounds: DAY_HISTOGRAM_BOUNDS, quantiles: DISTRIBUTION_QUANTILES } as const;

/** Days (fractional) an item due at `dueAtMs` is past due at `nowMs` (epoch milliseconds). */
export function overdueAgeDays(dueAtMs: number, nowMs: number): number {
  return (nowMs - dueAtMs) / MS_PER_DAY;
}
