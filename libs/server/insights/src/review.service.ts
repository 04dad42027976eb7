import { Injectable } from '@nestjs/common';
import {
  countsAgainstSlo, detectChanges, distributionOf, DistributionStats, emptyBudgetAt, errorBudget, failedChangeRecoveryMinutes, MAX_DRIVERS, FORECAST_HORIZON, forecastMonthlyCounts, HEADLINE_METRICS, HeadlineMetric,
  BASELINE_PERIODS, MINUTE_HISTOGRAM_BOUNDS, MS_PER_DAY, nextPeriodStart, periodsBack, periodsBetween, periodStart, overdueCountsAt, periodDelta, periodEndAsOf, periodExposureDays, previousRange, roundTo,
  type ChangePeriod,
} from '@hindsight/domain';
import { FromReplica, ReplicaReads } from '@hindsight/server-db';
import { PoliciesService } from '@hindsight/server-settings';
import type { DoraRows } from './dora.sql';
import type { ReportScope } from './report.sql';
import { InsightsService } from './insights.service';
import type { ReliabilityFilterInput, ReliabilityReportType, TrendPointType } from './insights.types';
import { ReviewPeriodRow, ReviewRepository } from './review.repository';
import type {
  HeadlineFigureType, IncidentOutlookType, ReliabilityChangeType, ReliabilityReviewType, ReviewPointType, ServiceBudgetBurnType, ShippedOnEmptyBudgetType,
} from './review.types';

/** What changed in a DORA figure: its drivers come from the failed changes, not from the incidents' facts. */
const DORA_CHANGE_METRICS: readonly HeadlineMetric[] = ['DEPLOYMENTS_PER_DAY', 'CHANGE_FAILURE_RATE', 'RECOVERY_MEDIAN'];

/** Complete months of history the outlook is fitted on, at most. */
export const OUTLOOK_MAX_MONTHS = 120;

/** A period without incidents: no value. */
const toStats = (s: DistributionStats | null): DistributionStats => s ?? distributionOf(new Float64Array(0), MINUTE_HISTOGRAM_BOUNDS);

/** A range's periods with the figures the review adds to the report's points. */
interface RangePeriod {
  point: TrendPointType;
  end: Date;
  extra: ReviewPeriodRow | null;
  overdue: number;
  overdueP0P1: number;
  budgetsExhausted: number;
}

/** A range's headline figures, whole range. */
type Figures = Record<HeadlineMetric, number | null>;

const monthStartUtc = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const addMonths = (d: Date, k: number): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1));

/** The reliability review (issue 15; docs/reliability-review.md): two reports, their comparison, what changed, the outlook, budget burn. */
@Injectable()
export class ReviewService {
  constructor(
    private readonly insights: InsightsService,
    private readonly repo: ReviewRepository,
    private readonly policies: PoliciesService,
    readonly reads: ReplicaReads,
  ) {}

  @FromReplica()
  async review(filter: ReliabilityFilterInput, now = new Date()): Promise<ReliabilityReviewType> {
    const [scope, { hourlyResponderRate }] = await Promise.all([this.insights.scope(filter), this.policies.current()]);
    const prev = previousRange(scope.from, scope.to);
    const previousFilter: ReliabilityFilterInput = { ...filter, from: prev.from, to: prev.to };
    // What changed compares each period with the BASELINE_PERIODS before it, whatever the previous range's length.
    const baselineFrom = periodsBack(periodStart(scope.from, scope.interval), scope.interval, BASELINE_PERIODS);

    // The instants states are read at: each period's end (the report's points, as periodsBetween lays them out), then the
    // previous range's end and the range's end, each cut by the range and by now.
    const currentEnds = periodsBetween(scope.from, scope.to, scope.interval).map((s) => nextPeriodStart(s, scope.interval));
    const asOf = (d: Date): Date => periodEndAsOf(d < scope.to ? d : scope.to, now);
    const nCur = currentEnds.length;
    const instants = [...currentEnds.map(asOf), periodEndAsOf(prev.to, now), asOf(scope.to)];
    const first = new Date(Math.min(...instants.map((d) => d.getTime())));
    const last = new Date(Math.max(...instants.map((d) => d.getTime())));

    // Every read at once: one round trip of latency (plus the reports' own), then the drivers of what changed.
    const [current, previous, rows, slos, budgetIncidents, items, monthly, dora, triggering] = await Promise.all([
      this.insights.reliabilityReport(filter, now),
      this.insights.reliabilityReport(previousFilter, now),
      this.repo.periods({ ...scope, from: baselineFrom }, scope.from, now, hourlyResponderRate),
      this.repo.slos(scope),
      this.repo.budgetIncidents(scope, first, last),
      this.repo.scopedItems(scope, first, new Date(last.getTime() + 1)),
      this.repo.monthlyCounts(scope),
      this.insights.doraRows({ ...scope, from: baselineFrom }),
      this.repo.triggeringChangeBudgets(scope),
    ]);
    const overdue = overdueCountsAt(items, instants);
    const overdueP0P1 = overdueCountsAt(items.filter((i) => i.priority === 'P0' || i.priority === 'P1'), instants);
    const countingBySlo = new Map(slos.map((slo) => [slo.id, budgetIncidents.filter((i) => i.sloId === slo.id && countsAgainstSlo(i, slo))]));
    const exhaustedAt = (at: Date): number =>
      slos.filter((slo) => errorBudget({ objective: slo.objective, windowDays: slo.windowDays, at, incidents: countingBySlo.get(slo.id) ?? [] }).remainingMinutes <= 0).length;

    const extra = new Map(rows.filter((r) => r.current).map((r) => [r.period, r]));
    const currentPeriods: RangePeriod[] = current.points.map((point, k) => ({
      point,
      end: currentEnds[k],
      extra: extra.get(point.periodStart.getTime()) ?? null,
      overdue: overdue[k],
      overdueP0P1: overdueP0P1[k],
      budgetsExhausted: exhaustedAt(instants[k]),
    }));

    const figures = (report: ReliabilityReportType, k: number): Figures => this.figures(report, overdueP0P1[k], exhaustedAt(instants[k]));
    const mine = figures(current, nCur + 1);
    const before = figures(previous, nCur);
    const sparkOf = currentPeriods.map((p) => this.periodFigures(p));
    const headline: HeadlineFigureType[] = HEADLINE_METRICS.map((metric) => {
      const delta = periodDelta(metric, mine[metric], before[metric]);
      const change = metric === 'COST' && delta.change !== null ? roundTo(delta.change, 2) : delta.change;
      return { metric, ...delta, change, sparkline: sparkOf.map((f) => f[metric]) };
    });

    const series: ReviewPointType[] = currentPeriods.map((p) => ({
      periodStart: p.point.periodStart,
      incidents: p.point.incidents,
      bySeverity: p.point.bySeverity,
      timeToDetectMinutes: toStats(p.extra?.ttd ?? null),
      timeToMitigateMinutes: toStats(p.extra?.ttm ?? null),
      timeToResolveMinutes: p.point.timeToResolveMinutes,
      cost: p.point.cost,
      overdueActionItems: p.overdue,
      overdueP0P1ActionItems: p.overdueP0P1,
      repeatIncidents: p.extra?.repeats ?? 0,
      postmortemsPublishedOnTimeRate: p.extra && p.extra.pmCounted > 0 ? p.extra.pmOnTime / p.extra.pmCounted : null,
      budgetsExhausted: p.budgetsExhausted,
    }));

    // Before the scope's first incident there is no history, not a history of zero incidents: those periods are no baseline.
    const observedFrom = monthly.length ? new Date(monthly[0].month) : scope.to;
    const baselineRows = new Map(rows.filter((r) => !r.current).map((r) => [r.period, r]));
    const deploymentsIn = new Map(dora.deployments.map((d) => [d.period, d.deployments]));
    const failedBy = new Map<number, DoraRows['failed']>();
    for (const f of dora.failed) failedBy.set(f.period, [...(failedBy.get(f.period) ?? []), f]);
    const recoveryOf = (f: DoraRows['failed'][number]): number | null =>
      failedChangeRecoveryMinutes(new Date(f.finishedAt), [f.recoveredAt === null ? null : new Date(f.recoveredAt)]);
    const changePeriod = (start: Date, end: Date, row: ReviewPeriodRow | null, incidents: number, from: Date, to: Date): ChangePeriod => ({
      deployments: deploymentsIn.get(start.getTime()) ?? 0,
      failedChanges: failedBy.get(start.getTime())?.length ?? 0,
      recovery: (failedBy.get(start.getTime()) ?? []).map(recoveryOf).filter((m): m is number => m !== null),
      periodStart: start,
      periodEnd: end,
      exposureDays: periodExposureDays(start, end, from < observedFrom ? observedFrom : from, to, now),
      incidents,
      ttd: row?.ttds ?? [],
      ttm: row?.ttms ?? [],
      ttr: row?.ttrs ?? [],
      costs: (row?.cents ?? []).map((c) => c / 100),
    });
    const baselinePeriods = periodsBetween(baselineFrom, scope.from, scope.interval).map((start) => {
      const row = baselineRows.get(start.getTime()) ?? null;
      return changePeriod(start, nextPeriodStart(start, scope.interval), row, row?.incidents ?? 0, baselineFrom, scope.from);
    });
    const tested = currentPeriods.map((p) => changePeriod(p.point.periodStart, p.end, p.extra, p.point.incidents, scope.from, scope.to));
    const changes = await this.changes(scope, [...baselinePeriods, ...tested], baselinePeriods.length, now, hourlyResponderRate, failedBy);
    const budgetBurn = slos.map((slo): ServiceBudgetBurnType => {
      const incidents = countingBySlo.get(slo.id) ?? [];
      const budget = errorBudget({ objective: slo.objective, windowDays: slo.windowDays, at: asOf(scope.to), incidents });
      return {
        serviceId: slo.serviceId,
        slo: { ...slo },
        budgetMinutes: budget.budgetMinutes,
        remainingMinutes: budget.remainingMinutes,
        points: currentPeriods.map((p) => {
          const start = Math.max(p.point.periodStart.getTime(), scope.from.getTime());
          const end = Math.min(p.end.getTime(), scope.to.getTime(), now.getTime());
          const consumedMinutes = end > start ? errorBudget({ objective: slo.objective, windowDays: (end - start) / MS_PER_DAY, at: new Date(end), incidents }).consumedMinutes : 0;
          return { periodStart: p.point.periodStart, consumedMinutes, consumedFraction: budget.budgetMinutes > 0 ? roundTo(consumedMinutes / budget.budgetMinutes, 9) : 0 };
        }),
      };
    });

    // Change-freeze awareness: the triggering change of a covered incident shipped while an SLO of its service had no budget left.
    const shippedOnEmptyBudget = triggering.flatMap((t): ShippedOnEmptyBudgetType[] => {
      const budget = emptyBudgetAt(t.slo, t.incidents, t.finishedAt);
      return budget ? [{
        incidentId: t.incidentId, serviceId: t.serviceId, slo: { ...t.slo }, changeId: t.changeId, version: t.version, finishedAt: t.finishedAt,
        remainingMinutes: budget.remainingMinutes, budgetMinutes: budget.budgetMinutes,
      }] : [];
    });

    return { current, previous, headline, series, changes, outlook: this.outlook(monthly, now), budgetBurn, shippedOnEmptyBudget };
  }

  /** A whole range's headline figures. */
  private figures(report: ReliabilityReportType, overdueP0P1: number, budgetsExhausted: number): Figures {
    const sev = (i: number): number => report.points.reduce((n, p) => n + (p.bySeverity[i]?.count ?? 0), 0);
    return {
      INCIDENTS: report.incidents, INCIDENTS_SEV1: sev(0), INCIDENTS_SEV2: sev(1), INCIDENTS_SEV3: sev(2), INCIDENTS_SEV4: sev(3),
      TTD_MEDIAN: report.timeToDetectMinutes.median, TTD_P90: report.timeToDetectMinutes.p90,
      TTM_MEDIAN: report.timeToMitigateMinutes.median, TTM_P90: report.timeToMitigateMinutes.p90,
      TTR_MEDIAN: report.timeToResolveMinutes.median, TTR_P90: report.timeToResolveMinutes.p90,
      REPEAT_INCIDENTS: report.repeatIncidents, POSTMORTEMS_ON_TIME_RATE: report.postmortemsPublishedOnTimeRate,
      OVERDUE_P0_P1: overdueP0P1, BUDGETS_EXHAUSTED: budgetsExhausted, COST: report.totalCost,
      DEPLOYMENTS_PER_DAY: report.dora.deploymentsPerDay, CHANGE_FAILURE_RATE: report.dora.changeFailureRate,
      RECOVERY_MEDIAN: report.dora.recoveryMedianMinutes, RECOVERY_P90: report.dora.recoveryP90Minutes,
    };
  }

  /** One period's headline figures (the sparklines). */
  private periodFigures(p: RangePeriod): Figures {
    const sev = (i: number): number => p.point.bySeverity[i]?.count ?? 0;
    const ttd = p.extra?.ttd ?? null;
    const ttm = p.extra?.ttm ?? null;
    return {
      INCIDENTS: p.point.incidents, INCIDENTS_SEV1: sev(0), INCIDENTS_SEV2: sev(1), INCIDENTS_SEV3: sev(2), INCIDENTS_SEV4: sev(3),
      TTD_MEDIAN: ttd?.median ?? null, TTD_P90: ttd?.p90 ?? null, TTM_MEDIAN: ttm?.median ?? null, TTM_P90: ttm?.p90 ?? null,
      TTR_MEDIAN: p.point.timeToResolveMinutes.median, TTR_P90: p.point.timeToResolveMinutes.p90,
      REPEAT_INCIDENTS: p.extra?.repeats ?? 0,
      POSTMORTEMS_ON_TIME_RATE: p.extra && p.extra.pmCounted > 0 ? p.extra.pmOnTime / p.extra.pmCounted : null,
      OVERDUE_P0_P1: p.overdueP0P1, BUDGETS_EXHAUSTED: p.budgetsExhausted, COST: p.point.cost,
      DEPLOYMENTS_PER_DAY: p.point.dora.deploymentsPerDay, CHANGE_FAILURE_RATE: p.point.dora.changeFailureRate,
      RECOVERY_MEDIAN: p.point.dora.recoveryMedianMinutes, RECOVERY_P90: p.point.dora.recoveryP90Minutes,
    };
  }

  /**
   * detectChanges over the baseline and current periods (the current ones tested), then what drove each change: for the
   * incident figures in one statement; for the DORA figures, the incidents linked to the period's failed changes and their services.
   */
  private async changes(
    scope: ReportScope, input: ChangePeriod[], firstTested: number, now: Date, hourlyRate: number, failedBy: Map<number, DoraRows['failed']>,
  ): Promise<ReliabilityChangeType[]> {
    const found = detectChanges(input, firstTested);
    // A tested period is one of the range's: its incidents are those started in it and in [from, to).
    const requests = found.flatMap((c, k) => DORA_CHANGE_METRICS.includes(c.metric) ? [] : [{
      key: String(k), metric: c.metric, worse: c.direction === 'WORSE',
      from: c.periodStart < scope.from ? scope.from : c.periodStart, to: c.periodEnd > scope.to ? scope.to : c.periodEnd,
    }]);
    const drivers = new Map((await this.repo.drivers(scope, requests, now, hourlyRate)).map((d) => [d.key, d]));
    const doraDrivers = (periodStart: Date) => {
      const failed = failedBy.get(periodStart.getTime()) ?? [];
      const incidentIds = [...new Set(failed.flatMap((f) => f.incidentIds))].slice(0, MAX_DRIVERS);
      const counts = new Map<string, number>();
      for (const f of failed) if (f.serviceId) counts.set(f.serviceId, (counts.get(f.serviceId) ?? 0) + 1);
      const services = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_DRIVERS).map(([serviceId, count]) => ({ serviceId, count }));
      return { incidentIds, services };
    };
    return found.map((c, k) => {
      const base = { periodStart: c.periodStart, metric: c.metric, direction: c.direction, value: c.value, baseline: c.baseline, measure: c.measure, pValue: c.pValue, method: c.method };
      if (DORA_CHANGE_METRICS.includes(c.metric)) return { ...base, ...doraDrivers(c.periodStart), factorCategories: [] };
      const d = drivers.get(String(k));
      return {
        ...base,
        incidentIds: d?.incidentIds ?? [],
        services: (d?.services ?? []).map((s) => ({ serviceId: s.serviceId, count: s.count})),
        factorCategories: d?.categories ?? [],
      };
    });
  }

  /** The monthly history (complete months, up to the one before now's) and the next three months. */
  private outlook(monthly: { month: number; incidents: number }[], now: Date): IncidentOutlookType {
    const thisMonth = monthStartUtc(now);
    const counts = new Map(monthly.map((m) => [m.month, m.incidents]));
    const firstMonth = monthly.length ? new Date(monthly[0].month) : thisMonth;
    const earliest = addMonths(thisMonth, -OUTLOOK_MAX_MONTHS);
    const start = firstMonth < earliest ? earliest : firstMonth;
    const history: { monthStart: Date; incidents: number }[] = [];
    for (let m = start; m < thisMonth; m = addMonths(m, 1)) history.push({ monthStart: m, incidents: counts.get(m.getTime()) ?? 0 });
    const forecast = forecastMonthlyCounts(history.map((h) => h.incidents));
    const months = forecast.points.slice(0, FORECAST_HORIZON).map((p, k) => ({ monthStart: addMonths(thisMonth, k), ...p }));
    return { method: forecast.method, level: forecast.level, history, months };
  }
}
