import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { FactorCategory, Severity, TrendInterval } from '@hindsight/domain';
import { GqlEnum } from '@hindsight/server-graphql';
import { SloType } from '@hindsight/server-catalog';
import { ActionItemType } from '@hindsight/server-action-items';

@ObjectType('HistogramBin', { description: 'Values in (previous bound, upperBound]; the first bin also holds everything below it, the last (upperBound = largest double) everything above.' })
export class HistogramBinType {
  @Field(() => Float) upperBound!: number;
  @Field(() => Int) count!: number;
}

@ObjectType('Stats', {
  description:
    'A distribution (PRODUCT.md 5): count, median and p90 by continuous interpolation (as PostgreSQL percentile_cont), max, and a histogram. ' +
    'Durations in minutes use the bounds 5, 15, 30, 60, 120, 240, 480, 1440 (1 day), 2880, 10080 (1 week), 43200 (30 days), then overflow; ' +
    'ages in days use 1, 3, 7, 14, 30, 60, 90, 180, 365, then overflow. Values lacking the milestone are left out; median, p90 and max are null when count is 0.',
})
export class StatsType {
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) median!: number | null;
  @Field(() => Float, { nullable: true }) p90!: number | null;
  @Field(() => Float, { nullable: true }) max!: number | null;
  @Field(() => [HistogramBinType]) histogram!: HistogramBinType[];
}

@ObjectType('SeverityCount')
export class SeverityCountType {
  @Field(() => GqlEnum.Severity) severity!: Severity;
  @Field(() => Int) count!: number;
}

@ObjectType('CategoryCount', { description: 'Covered incidents with at least one contributing factor of the category.' })
export class CategoryCountType {
  @Field(() => GqlEnum.FactorCategory) category!: FactorCategory;
  @Field(() => Int) count!: number;
}

@ObjectType('DoraFigures', {
  description:
    'PRODUCT.md 5 "Changes and DORA" (docs/dora.md) over the production changes that finished in [from, to) to the services in scope (the filter\'s service, ' +
    'the services its team owns, or every change, unmatched ones included); the filter\'s severities and segment narrow which incidents make a change failed. ' +
    'Nobody who made a change is named.',
})
export class DoraFiguresType {
  @Field(() => Int, { description: 'Production changes (deploys) that finished in the range.' }) deployments!: number;
  @Field(() => Float, { description: 'Deployment frequency: deployments ÷ the days of the range that have passed (the range cut by now); 0 before it begins.' })
  deploymentsPerDay!: number;
  @Field(() => Float, { nullable: true, description: 'failedChanges ÷ deployments; null without deployments. Read it with its count (deployments) and interval.' })
  changeFailureRate!: number | null;
  @Field(() => Int, { description: 'Deployments linked to an incident passing the filter as TRIGGERING or CONTRIBUTING.' }) failedChanges!: number;
  @Field(() => Float, { nullable: true, description: 'Median of recoveryMinutes.' }) recoveryMedianMinutes!: number | null;
  @Field(() => Float, { nullable: true, description: 'p90 of recoveryMinutes.' }) recoveryP90Minutes!: number | null;
  @Field(() => Float, { nullable: true, description: 'Lower end of the 95 % Wilson interval of changeFailureRate while deployments < 30; null otherwise.' })
  changeFailureRateLow!: number | null;
  @Field(() => Float, { nullable: true, description: 'Upper end of the same interval.' }) changeFailureRateHigh!: number | null;
  @Field(() => Boolean, { description: 'Fewer than 5 deployments: show "too few to tell" (with the count), not a percentage.' }) changeFailureRateTooFewToTell!: boolean;
  @Field(() => StatsType, {
    description: 'Failed deployment recovery time: minutes from each failed change\'s finishedAt to the recovery (mitigatedAt, else resolvedAt) of the last incident it is linked to; changes whose incidents have not all recovered are left out.',
  })
  recoveryMinutes!: StatsType;
  @Field(() => Float, { description: 'The days deploymentsPerDay divides by.' }) days!: number;
}

@ObjectType('TrendPoint', { description: 'One week (Monday 00:00 UTC) or month (the 1st 00:00 UTC); an incident counts in the period where it started.' })
export class TrendPointType {
  @Field(() => GraphQLISODateTime) periodStart!: Date;
  @Field(() => Int) incidents!: number;
  @Field(() => [SeverityCountType], { description: 'Every severity, SEV1 first, zeros included.' }) bySeverity!: SeverityCountType[];
  @Field(() => StatsType) timeToResolveMinutes!: StatsType;
  @Field(() => Float, { description: 'Sum of the incidents\' cost (as of now for unresolved ones).' }) cost!: number;
  @Field(() => DoraFiguresType, { description: 'The DORA figures of the changes that finished in the period (cut by the range); deploymentsPerDay over the days of it the range covers by now.' })
  dora!: DoraFiguresType;
}

@ObjectType('ActionItemHealth', { description: 'The action items of the covered incidents.' })
export class ActionItemHealthType {
  @Field(() => Int, { description: 'OPEN, IN_PROGRESS or BLOCKED.' }) open!: number;
  @Field(() => Int, { description: 'Open and past the due date now.' }) overdue!: number;
  @Field(() => Int, { description: 'DONE (WONT_DO is not counted as done).' }) done!: number;
  @Field(() => Int, { description: 'DONE with completedAt ≤ the due date in force when it was completed.' }) doneOnTime!: number;
  @Field(() => Float, { nullable: true, description: 'doneOnTime / done; null when done = 0.' }) doneOnTimeRate!: number | null;
  @Field(() => StatsType, { description: 'How many days past due the overdue items are, now.' }) overdueAgeDays!: StatsType;
}

/** A symbol key: the JSON export of a report (reports.controller) leaves it out. */
export const REPORT_TEAM_ID = Symbol('reportTeamId');
/** The whole filter of a report, for fields other libraries add to it (runbook coverage). */
export const REPORT_SCOPE = Symbol('reportScope');

@ObjectType('ReliabilityReport', { description: 'PRODUCT.md 5. Covers incidents with startedAt in [from, to) passing the filter.' })
export class ReliabilityReportType {
  @Field(() => GraphQLISODateTime) from!: Date;
  @Field(() => GraphQLISODateTime) to!: Date;
  @Field(() => GqlEnum.TrendInterval) interval!: TrendInterval;
  @Field(() => Int) incidents!: number;
  @Field(() => [TrendPointType], { description: 'One per period overlapping [from, to), empty ones included; the first may start before from.' })
  points!: TrendPointType[];
  @Field(() => StatsType) timeToDetectMinutes!: StatsType;
  @Field(() => StatsType) timeToMitigateMinutes!: StatsType;
  @Field(() => StatsType) timeToResolveMinutes!: StatsType;
  @Field(() => [CategoryCountType], { description: 'Most frequent first, ties by name; categories that never occur are left out.' })
  topFactorCategories!: CategoryCountType[];
  @Field(() => Int, { description: 'Covered incidents whose service had an incident with a factor of the same category in the previous 90 days.' })
  repeatIncidents!: number;
  @Field(() => ActionItemHealthType) actionItems!: ActionItemHealthType;
  @Field(() => Float, {
    nullable: true,
    description: 'Postmortems published by their due date ÷ those due (published, or unpublished past due); null when none is due yet.',
  })
  postmortemsPublishedOnTimeRate!: number | null;
  @Field(() => Float) totalCost!: number;
  @Field(() => DoraFiguresType) dora!: DoraFiguresType;
  /** The filter's team, for fields other libraries add to the report (nudge responses). */
  [REPORT_TEAM_ID]?: string | null;
  [REPORT_SCOPE]?: { from: Date; to: Date; teamId?: string | null; serviceId?: string | null; severities?: readonly Severity[] | null; segment?: string | null };
}

/** The fields of a report its incident rows feed; any other field (from, to, interval, those other libraries add) needs only the scope. */
export const REPORT_ROW_FIELDS: ReadonlySet<string> = new Set<string>([
  'incidents', 'points', 'timeToDetectMinutes', 'timeToMitigateMinutes', 'timeToResolveMinutes', 'topFactorCategories', 'repeatIncidents', 'actionItems',
  'postmortemsPublishedOnTimeRate', 'totalCost', 'dora',
] satisfies (keyof ReliabilityReportType)[]);

/** A report without its figures: what the fields other libraries add read of it. */
export type ReliabilityReportScope = Pick<ReliabilityReportType, 'from' | 'to' | 'interval' | typeof REPORT_TEAM_ID | typeof REPORT_SCOPE>;

@InputType('ReliabilityFilter', { description: 'All given criteria must hold. [from, to) may span at most 3653 days (ten years) with interval WEEK, 36525 days (a century) with MONTH.' })
export class ReliabilityFilterInput {
  @Field(() => GraphQLISODateTime) from!: Date;
  @Field(() => GraphQLISODateTime) to!: Date;
  @Field(() => GqlEnum.TrendInterval, { nullable: true, description: 'WEEK when omitted.' }) interval?: TrendInterval | null;
  @Field(() => ID, { nullable: true, description: 'Incidents affecting a service this team owns.' }) teamId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Incidents affecting this service.' }) serviceId?: string | null;
  @Field(() => [GqlEnum.Severity], { nullable: true }) severities?: Severity[] | null;
  @Field(() => String, { nullable: true, description: 'Incidents listing this customer segment (case-insensitive).' }) segment?: string | null;
}

@ObjectType('SegmentComparison', { description: 'The same report for one customer segment and for everyone, side by side ("healthy average, unhappy customers").' })
export class SegmentComparisonType {
  @Field() segment!: string;
  @Field(() => ReliabilityReportType, { description: 'Incidents listing the segment.' }) segmentReport!: ReliabilityReportType;
  @Field(() => ReliabilityReportType, { description: 'All incidents passing the other criteria.' }) everyone!: ReliabilityReportType;
}

@ObjectType('ErrorBudget', { description: 'PRODUCT.md 5 at time `at`: budget = (1 − objective) × windowDays × 1440 minutes; remaining may be negative.' })
export class ErrorBudgetType {
  @Field(() => SloType) slo!: SloType;
  @Field(() => GraphQLISODateTime, { description: 'The window [windowStart, at].' }) windowStart!: Date;
  @Field(() => GraphQLISODateTime) at!: Date;
  @Field(() => Float) budgetMinutes!: number;
  @Field(() => Float, { description: 'Minutes of [startedAt, resolvedAt or at] of counting incidents inside the window, overlaps counted once.' })
  consumedMinutes!: number;
  @Field(() => Float) remainingMinutes!: number;
}

@InputType('CostSavingsFilter', { description: 'DONE action items that address a contributing factor, completed in [from, to).' })
export class CostSavingsFilterInput {
  @Field(() => GraphQLISODateTime) from!: Date;
  @Field(() => GraphQLISODateTime) to!: Date;
  @Field(() => ID, { nullable: true, description: 'Items owned by this team.' }) teamId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Items of incidents affecting this service.' }) serviceId?: string | null;
  @Field(() => Int, { nullable: true, description: 'Length of each window, 1–365 days (90 when omitted); shorter when completion was more recent.' })
  windowDays?: number | null;
}

@ObjectType('CostSavingsItem', {
  description: 'Incidents and their cost in the addressed category on the item\'s services, in equal windows before and after completion.',
})
export class CostSavingsItemType {
  @Field(() => ActionItemType) actionItem!: ActionItemType;
  @Field(() => GqlEnum.FactorCategory) category!: FactorCategory;
  @Field(() => Float, { description: 'Length of each window in days.' }) windowDays!: number;
  @Field(() => Int) incidentsBefore!: number;
  @Field(() => Int) incidentsAfter!: number;
  @Field(() => Float) costBefore!: number;
  @Field(() => Float) costAfter!: number;
  @Field(() => Float, { description: 'costBefore − costAfter (negative when things got worse).' }) savings!: number;
}

@ObjectType('CostSavingsReport')
export class CostSavingsReportType {
  @Field(() => [CostSavingsItemType], { description: 'Most recently completed first.' }) items!: CostSavingsItemType[];
  @Field(() => Int) incidentsBefore!: number;
  @Field(() => Int) incidentsAfter!: number;
  @Field(() => Float) costBefore!: number;
  @Field(() => Float) costAfter!: number;
  @Field(() => Float) savings!: number;
}
