import { Extensions, Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FACTOR_CATEGORIES, FORECAST_HORIZON, HEADLINE_METRICS, MAX_DRIVERS, SEVERITIES, type HeadlineMetric } from '@hindsight/domain';
import { ServiceType, SloType } from '@hindsight/server-catalog';
import { IncidentType } from '@hindsight/server-incidents';
import { CategoryCountType, ReliabilityReportType, SeverityCountType, StatsType } from './insights.types';

export const HeadlineMetricEnum = Object.fromEntries(HEADLINE_METRICS.map((m) => [m, m])) as { [K in HeadlineMetric]: K };
registerEnumType(HeadlineMetricEnum, {
  name: 'HeadlineMetric',
  description:
    'A headline figure of the reliability review. INCIDENTS*: covered incidents (by severity); TTx_MEDIAN / TTx_P90: the distribution of time to detect / mitigate / resolve in minutes; ' +
    'REPEAT_INCIDENTS: covered repeats (PRODUCT.md 5); POSTMORTEMS_ON_TIME_RATE: published by their due date ÷ due; OVERDUE_P0_P1: P0/P1 action items open and past due at the end of the period ' +
    '(see ReviewPoint.overdueActionItems); BUDGETS_EXHAUSTED: SLOs in scope with remaining error budget ≤ 0 at the end of the period; COST: summed incident cost; ' +
    'DEPLOYMENTS_PER_DAY, CHANGE_FAILURE_RATE, RECOVERY_MEDIAN, RECOVERY_P90: the report\'s DORA figures (docs/dora.md; higher is better for DEPLOYMENTS_PER_DAY).',
});

export const CHANGE_DIRECTIONS = ['WORSE', 'BETTER'] as const;
export type ChangeDirection = (typeof CHANGE_DIRECTIONS)[number];
export const ChangeDirectionEnum = { WORSE: 'WORSE', BETTER: 'BETTER' } as const;
registerEnumType(ChangeDirectionEnum, { name: 'ChangeDirection' });

@ObjectType('HeadlineFigure', { description: 'One tile: the figure for the selected period against the previous period of equal length (same filters and interval).' })
export class HeadlineFigureType {
  @Field(() => HeadlineMetricEnum) metric!: HeadlineMetric;
  @Field(() => Float, { nullable: true, description: 'Null when undefined (e.g. no resolved incidents in the period).' }) value!: number | null;
  @Field(() => Float, { nullable: true, description: 'The same figure for the previous period.' }) previous!: number | null;
  @Field(() => Float, { nullable: true, description: 'value − previous; null when either is null.' }) change!: number | null;
  @Field(() => Float, { nullable: true, description: 'change ÷ previous; null when previous is null or 0.' }) relativeChange!: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'true = improvement, false = got worse, null = no change or not comparable. Lower is better for every metric except POSTMORTEMS_ON_TIME_RATE.',
  })
  better!: boolean | null;
  @Field(() => [Float], { nullable: 'items', description: 'The figure per period of `current` (null where undefined).' }) sparkline!: (number | null)[];
}

@ObjectType('ReviewPoint', { description: 'One period of `current` (same periodStart values as current.points).' })
export class ReviewPointType {
  @Field(() => GraphQLISODateTime) periodStart!: Date;
  @Field(() => Int) incidents!: number;
  @Extensions({ listSize: SEVERITIES.length })
  @Field(() => [SeverityCountType], { description: 'Every severity, SEV1 first, zeros included.' }) bySeverity!: SeverityCountType[];
  @Field(() => StatsType) timeToDetectMinutes!: StatsType;
  @Field(() => StatsType) timeToMitigateMinutes!: StatsType;
  @Field(() => StatsType) timeToResolveMinutes!: StatsType;
  @Field(() => Float, { description: "Sum of the period's incidents' cost (as of now for unresolved ones)." }) cost!: number;
  @Field(() => Int, {
    description:
      'Action items open and past due at the end of the period (or now, for a period not yet over), as known now: items of incidents passing the filter ' +
      '(team, service, severities, segment; whenever the incident started, whenever the item was created) with dueAt < end (the current due date) and completedAt null or > end. ' +
      'WONT_DO closes an item like DONE.',
  })
  overdueActionItems!: number;
  @Field(() => Int, { description: 'The P0 and P1 items among overdueActionItems.' }) overdueP0P1ActionItems!: number;
  @Field(() => Int, { description: 'Covered repeat incidents started in the period.' }) repeatIncidents!: number;
  @Field(() => Float, { nullable: true, description: 'Postmortems of the period\'s incidents published by their due date ÷ those due; null when none is due yet.' })
  postmortemsPublishedOnTimeRate!: number | null;
  @Field(() => Int, { description: 'SLOs in scope (see budgetBurn) with remaining error budget ≤ 0 at the end of the period (or now).' }) budgetsExhausted!: number;
}

@ObjectType('ServiceCount')
export class ServiceCountType {
  @Field(() => ServiceType) service?: ServiceType;
  @Field(() => Int) count!: number;
  /** Resolved to `service` by a DataLoader. */
  serviceId!: string;
}

@ObjectType('ReliabilityChange', { description: 'A period of `current` where a distribution moved beyond normal variation (docs/reliability-review.md).' })
export class ReliabilityChangeType {
  @Field(() => GraphQLISODateTime, { description: 'The period where the shift shows.' }) periodStart!: Date;
  @Field(() => HeadlineMetricEnum, { description: 'One of INCIDENTS, TTD_MEDIAN, TTM_MEDIAN, TTR_MEDIAN, COST, DEPLOYMENTS_PER_DAY, CHANGE_FAILURE_RATE, RECOVERY_MEDIAN.' }) metric!: HeadlineMetric;
  @Field(() => ChangeDirectionEnum) direction!: ChangeDirection;
  @Field(() => Float, { description: 'The figure in that period (see `measure`).' }) value!: number;
  @Field(() => Float, { description: 'The reference it is compared with (see `measure`).' }) baseline!: number;
  @Field({ description: 'What value and baseline measure, e.g. "median minutes to resolve" or "incidents in the period (baseline: expected at the earlier rate)".' })
  measure!: string;
  @Field(() => Float, { description: 'The test\'s two-sided p-value.' }) pValue!: number;
  @Field({ description: 'One sentence: the test used.' }) method!: string;
  @Extensions({ listSize: MAX_DRIVERS })
  @Field(() => [IncidentType], { description: 'The incidents of the period that drove it (at most 5), most influential first.' }) incidents?: IncidentType[];
  @Extensions({ listSize: MAX_DRIVERS })
  @Field(() => [ServiceCountType], { description: "Services most involved in that period's covered incidents (at most 5)." }) services!: ServiceCountType[];
  @Extensions({ listSize: FACTOR_CATEGORIES.length })
  @Field(() => [CategoryCountType], { description: "Factor categories of that period's covered incidents, most frequent first." }) factorCategories!: CategoryCountType[];
  /** Resolved to `incidents` by a DataLoader, in this order. */
  incidentIds!: string[];
}

@ObjectType('MonthCount')
export class MonthCountType {
  @Field(() => GraphQLISODateTime) monthStart!: Date;
  @Field(() => Int) incidents!: number;
}

@ObjectType('OutlookMonth')
export class OutlookMonthType {
  @Field(() => GraphQLISODateTime) monthStart!: Date;
  @Field(() => Float, { description: 'Point forecast of incidents that month, never negative.' }) expected!: number;
  @Field(() => Float, { description: 'Lower bound of the prediction interval (≥ 0).' }) low!: number;
  @Field(() => Float) high!: number;
}

@ObjectType('IncidentOutlook', {
  description:
    'Incidents per month for the three months after the last complete month (the current month first), for the filter\'s team, service, severities and segment over all time ' +
    '(its from/to do not apply). History: complete months from the first with an incident, at most the last 120.',
})
export class IncidentOutlookType {
  @Field({ description: 'Stated on the chart, e.g. "Holt-Winters, additive, 12-month season".' }) method!: string;
  @Field(() => Float, { description: "The prediction interval's coverage (0.8)." }) level!: number;
  @Field(() => [MonthCountType], { description: 'The months the forecast was fitted on.' }) history!: MonthCountType[];
  @Extensions({ listSize: FORECAST_HORIZON })
  @Field(() => [OutlookMonthType], { description: 'The next three months; empty only when there is no history at all.' }) months!: OutlookMonthType[];
}

@ObjectType('BudgetBurnPoint')
export class BudgetBurnPointType {
  @Field(() => GraphQLISODateTime) periodStart!: Date;
  @Field(() => Float, {
    description: 'Minutes of [startedAt, resolvedAt or now] of the incidents counting against the SLO inside the period (clipped to the range and to now), overlaps counted once.',
  })
  consumedMinutes!: number;
  @Field(() => Float, { description: 'consumedMinutes ÷ budgetMinutes: the share of one window\'s budget burnt in that period.' }) consumedFraction!: number;
}

@ObjectType('ServiceBudgetBurn')
export class ServiceBudgetBurnType {
  @Field(() => ServiceType) service?: ServiceType;
  @Field(() => SloType) slo!: SloType;
  @Field(() => Float, { description: '(1 − objective) × windowDays × 1440 (PRODUCT.md 5).' }) budgetMinutes!: number;
  @Field(() => Float, { description: 'Remaining budget at the end of the range (or now), may be negative.' }) remainingMinutes!: number;
  @Field(() => [BudgetBurnPointType], { description: 'Per period of `current`.' }) points!: BudgetBurnPointType[];
  /** Resolved to `service` by a DataLoader. */
  serviceId!: string;
}

@ObjectType('ShippedOnEmptyBudget', {
  description:
    'Change-freeze awareness (docs/dora.md): a covered incident whose TRIGGERING change finished while an SLO of the change\'s service had no error budget left (remaining ≤ 0 at the change\'s finishedAt). One per incident and exhausted SLO.',
})
export class ShippedOnEmptyBudgetType {
  @Field(() => IncidentType) incident?: IncidentType;
  @Field(() => ServiceType, { description: 'The service the change went to.' }) service?: ServiceType;
  @Field(() => SloType) slo!: SloType;
  @Field(() => ID) changeId!: string;
  @Field(() => String, { nullable: true }) version!: string | null;
  @Field(() => GraphQLISODateTime) finishedAt!: Date;
  @Field(() => Float, { description: 'Remaining budget of the SLO at finishedAt (≤ 0).' }) remainingMinutes!: number;
  @Field(() => Float) budgetMinutes!: number;
  /** Resolved to `incident` and `service` by DataLoaders. */
  incidentId!: string;
  serviceId!: string;
}

@ObjectType('ReliabilityReview', { description: 'The reliability review of [from, to) against the previous period of equal length. docs/reliability-review.md states every definition.' })
export class ReliabilityReviewType {
  @Field(() => ReliabilityReportType, { description: 'Exactly what reliabilityReport(filter) returns.' }) current!: ReliabilityReportType;
  @Field(() => ReliabilityReportType, { description: 'The period of equal length ending at filter.from, same filters and interval; a range of whole calendar months (from and to on the 1st, 00:00 UTC) is compared with as many whole months before it.' }) previous!: ReliabilityReportType;
  @Extensions({ listSize: HEADLINE_METRICS.length })
  @Field(() => [HeadlineFigureType], { description: 'The tiles, in display order.' }) headline!: HeadlineFigureType[];
  @Field(() => [ReviewPointType], { description: 'One per period of `current`.' }) series!: ReviewPointType[];
  @Field(() => [ReliabilityChangeType], { description: 'Periods where a distribution moved beyond normal variation, newest first.' }) changes!: ReliabilityChangeType[];
  @Field(() => IncidentOutlookType) outlook!: IncidentOutlookType;
  @Field(() => [ServiceBudgetBurnType], { description: 'One per SLO of the services in scope (all services when no team/service filter; only the segment\'s SLOs with a segment filter).' })
  budgetBurn!: ServiceBudgetBurnType[];
  @Field(() => [ShippedOnEmptyBudgetType], {
    description: 'Covered incidents of the range whose triggering change shipped on an empty error budget ("shipped on an empty budget"), oldest change first.',
  })
  shippedOnEmptyBudget!: ShippedOnEmptyBudgetType[];
}
