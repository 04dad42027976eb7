import { FactorCategory, Severity, TrendInterval } from '../enums/contract.enums';
import { durationMinutes } from '../incidents/milestones.rule';
import { isRepeat, RepeatCandidate } from '../incidents/repeat.rule';
import { FieldError, checkDate } from '../validation/fields.validation';
import { MS_PER_DAY, roundTo } from '../time/time.util';
import { actionItemHealth, ActionItemHealth, HealthItem } from './action-item-health.metric';
import { CategoryCount, severityCounts, SeverityCount, topFactorCategories } from './counts.metric';
import { distributionStats, DistributionStats } from './percentiles.metric';
import { bucketByPeriod } from './periods.metric';
import { postmortemsPublishedOnTimeRate, TimedPostmortem } from './postmortem-timeliness.metric';
import { PeriodDurationField, REPORT_DURATIONS, ReportDurationField } from './report-metrics.metric';

/**
 * The longest range a weekly report (or one without periods) may span: ten years (with leap
 * days), at most 523 weekly points — enough for any trend chart, and a bound on the work one
 * request can ask for.
 */
export const MAX_REPORT_DAYS = 3653;

/**
 * The longest range a report may span by interval. Monthly, a century (1201 points at most):
 * imported history reaches back decades, and "all time" must remain one report. Weekly,
 * MAX_REPORT_DAYS: decades of weeks are thousands of points nobody can read.
 */
export const MAX_REPORT_DAYS_BY_INTERVAL: Readonly<Record<TrendInterval, number>> = { WEEK: MAX_REPORT_DAYS, MONTH: 36525 };

/** WEEK when the client does not say. */
export const DEFAULT_TREND_INTERVAL: TrendInterval = 'WEEK';

export interface ReportRange {
  readonly from: unknown;
  readonly to: unknown;
}

/**
 * A report covers [from, to): both valid instants, from strictly before to, at most
 * MAX_REPORT_DAYS_BY_INTERVAL[interval] apart (MAX_REPORT_DAYS without an interval). Errors
 * name `<prefix>.from` / `<prefix>.to`; a weekly range too long for weeks says to use MONTH.
 */
export function validateReportRange(range: ReportRange, fieldPrefix = 'filter', interval?: TrendInterval | null): FieldError[] {
  const f = (name: string): string => (fieldPrefix ? `${fieldPrefix}.${name}` : name);
  const errors = [checkDate(f('from'), range.from), checkDate(f('to'), range.to)].filter((e): e is FieldError => e !== null);
  if (errors.length) return errors;
  const from = range.from as Date;
  const to = range.to as Date;
  if (to.getTime() <= from.getTime()) return [{ field: f('to'), reason: `to (${to.toISOString()}) must be after from (${from.toISOString()}); the range is [from, to)` }];
  const days = (to.getTime() - from.getTime()) / MS_PER_DAY;
  if (interval === 'MONTH' && days > MAX_REPORT_DAYS_BY_INTERVAL.MONTH) {
    return [{ field: f('to'), reason: `a monthly report may span at most ${MAX_REPORT_DAYS_BY_INTERVAL.MONTH} days (a century); split longer reports` }];
  }
  if (interval === 'WEEK' && days > MAX_REPORT_DAYS_BY_INTERVAL.WEEK) {
    return [{
      field: f('to'),
      reason: `a weekly report may span at most ${MAX_REPORT_DAYS} days (ten years, 523 weeks); use interval MONTH for a longer range (up to ${MAX_REPORT_DAYS_BY_INTERVAL.MONTH} days)`,
    }];
  }
  if (!interval && days > MAX_REPORT_DAYS) {
    return [{ field: f('to'), reason: `the range may span at most ${MAX_REPORT_DAYS} days (ten years); split longer reports` }];
  }
  return [];
}

/** Money adds up to cents: the sum of per-incident costs (each already in cents), rounded so float noise never shows. */
export function sumMoney(values: readonly number[]): number {
  return roundTo(values.reduce((a, b) => a + b, 0), 2);
}

/** One covered incident, with its cost already priced (incidentCost) as of the report's `now`. */
export interface ReportIncident extends RepeatCandidate {
  readonly id: string;
  readonly severity: Severity;
  readonly detectedAt: Date | null;
  readonly mitigatedAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly cost: number;
}

export interface ReliabilityReportInput {
  readonly from: Date;
  readonly to: Date;
  readonly interval: TrendInterval;
  /** The incidents the report covers (startedAt in [from, to), passing the filter). */
  readonly incidents: readonly ReportIncident[];
  /**
   * Incidents a covered one may repeat (any filter: a repeat is about the service's history,
   * not about what the report shows), at least those started in the 90 days before `from`.
   */
  readonly history: readonly RepeatCandidate[];
  /** The action items of the covered incidents. */
  readonly actionItems: readonly HealthItem[];
  /** The postmortems of the covered incidents. */
  readonly postmortems: readonly TimedPostmortem[];
  readonly now: Date;
}

/** One period: its counts, its cost and the distributions REPORT_DURATIONS gives each period. */
export type TrendPoint = {
  readonly periodStart: Date;
  readonly incidents: number;
  readonly bySeverity: SeverityCount[];
  readonly cost: number;
} & { readonly [F in PeriodDurationField]: DistributionStats };

/** The report; one distribution per REPORT_DURATIONS entry, named after its duration. */
export type ReliabilityReport = {
  readonly from: Date;
  readonly to: Date;
  readonly interval: TrendInterval;
  readonly incidents: number;
  readonly points: TrendPoint[];
  readonly topFactorCategories: CategoryCount[];
  readonly repeatIncidents: number;
  readonly actionItems: ActionItemHealth;
  readonly postmortemsPublishedOnTimeRate: number | null;
  readonly totalCost: number;
} & { readonly [F in ReportDurationField]: DistributionStats };

/** The distributions of REPORT_DURATIONS (those `perPeriod` when `perPeriod`) over `incidents`. */
function durationStats<F extends ReportDurationField>(incidents: readonly ReportIncident[], perPeriod: boolean): Record<F, DistributionStats> {
  const wanted = REPORT_DURATIONS.filter((d) => !perPeriod || d.perPeriod);
  return Object.fromEntries(wanted.map((d) => [d.duration, distributionStats(incidents.map((i) => durationMinutes(d.duration, i)), d.bounds)])) as Record<F, DistributionStats>;
}

/**
 * PRODUCT.md 5 reliability report, from plain data: the reference definition. The server
 * computes the same figures with SQL aggregation for speed; its tests check the two agree.
 * - points: one per period overlapping [from, to) (periodsBetween), empty ones included; an
 *   incident counts in the period where it started, whenever it ended.
 * - distributions leave out incidents lacking the milestone.
 * - topFactorCategories counts incidents per category (an incident with two CAPACITY factors
 *   counts once), most frequent first.
 * - repeatIncidents: covered incidents that are repeats (isRepeat) against the history.
 */
export function reliabilityReport(input: ReliabilityReportInput): ReliabilityReport {
  const { from, to, interval, incidents, now } = input;
  const covered = incidents.filter((i) => i.startedAt.getTime() >= from.getTime() && i.startedAt.getTime() < to.getTime());
  const points = bucketByPeriod(covered, (i) => i.startedAt, from, to, interval).map((b): TrendPoint => ({
    periodStart: b.periodStart,
    incidents: b.items.length,
    bySeverity: severityCounts(b.items.map((i) => i.severity)),
    ...durationStats<PeriodDurationField>(b.items, true),
    cost: sumMoney(b.items.map((i) => i.cost)),
  }));
  const pool = [...input.history, ...covered];
  const categories = covered.flatMap((i) => [...new Set(i.factorCategories)]) as FactorCategory[];
  return {
    from,
    to,
    interval,
    incidents: covered.length,
    points,
    ...durationStats<ReportDurationField>(covered, false),
    topFactorCategories: topFactorCategories(categories),
    repeatIncidents: covered.filter((i) => isRepeat(i, pool)).length,
    actionItems: actionItemHealth(input.actionItems, now),
    postmortemsPublishedOnTimeRate: postmortemsPublishedOnTimeRate(input.postmortems, now),
    totalCost: sumMoney(covered.map((i) => i.cost)),
  };
}
