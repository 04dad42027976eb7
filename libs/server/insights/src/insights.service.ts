import { Injectable } from '@nestjs/common';
import {
  actionItemRoi, averageIncidentCost, checkNumber, countsAgainstSlo, DEFAULT_SAVINGS_WINDOW_DAYS, DEFAULT_TREND_INTERVAL, distributionOf, DistributionStats,
  errorBudget, FieldError, incidentsPerYear, MS_PER_DAY, periodsBetween, REPORT_DURATIONS, ROI_LOOKBACK_DAYS, roiAnchor, roiLookback, savingsWindows, SEVERITIES,
  sumMoney, validateReportRange, doraDays, doraFigures, failedChangeRecoveryMinutes, nextPeriodStart, periodExposureDays,
  type PeriodDurationField, type ReportDurationField,
} from '@hindsight/domain';
import { assertValid, isUuid } from '@hindsight/server-common';
import { FromReplica, ReplicaReads } from '@hindsight/server-db';
import { PoliciesService } from '@hindsight/server-settings';
import { ActionItemsService } from '@hindsight/server-action-items';
import { ErrorBudgetsRepository } from './error-budgets.repository';
import { InsightsRepository } from './insights.repository';
import { PERIOD_DURATIONS, type PeriodRow, type ReportRows } from './report.assembly';
import type { DoraRows } from './dora.sql';
import type { ReportScope } from './report.sql';
import { PricedWindow, RoiRepository } from './roi.repository';
import { REPORT_SCOPE, REPORT_TEAM_ID, type CostSavingsFilterInput, type ReliabilityReportScope, type CostSavingsReportType, type DoraFiguresType, type ErrorBudgetType, type ReliabilityFilterInput, type ReliabilityReportType } from './insights.types';

/** The distributions `declared` of a period (or the whole range) as the report's fields, a distribution with no value where the period has none. */
function durationFields<F extends ReportDurationField>(row: PeriodRow | undefined, declared: readonly (typeof REPORT_DURATIONS)[number][]): Record<F, DistributionStats> {
  return Object.fromEntries(declared.map((d) => [d.duration, row?.durations[d.key] ?? distributionOf(new Float64Array(0), d.bounds)])) as Record<F, DistributionStats>;
}

/** The DORA figures of the failed rows and deployments of a range or period (the domain's doraFigures), in the report's shape. */
function doraOf(deployments: number, failed: DoraRows['failed'], days: number): DoraFiguresType {
  const f = doraFigures({
    deployments,
    failed: failed.map((r) => failedChangeRecoveryMinutes(new Date(r.finishedAt), [r.recoveredAt === null ? null : new Date(r.recoveredAt)])),
    days,
  });
  return { ...f, recoveryMedianMinutes: f.recoveryMinutes.median, recoveryP90Minutes: f.recoveryMinutes.p90 };
}

const blankToNull = (s: string | null | undefined): string | null => (s === undefined || s === null || s.trim() === '' ? null : s.trim());

/** Leadership insights (PRODUCT.md 5): the reliability report, error budgets, ROI and cost savings. Read-only. */
@Injectable()
export class InsightsService {
  constructor(
    private readonly repo: InsightsRepository,
    private readonly budgets: ErrorBudgetsRepository,
    private readonly roiRepo: RoiRepository,
    private readonly policies: PoliciesService,
    private readonly actionItems: ActionItemsService,
    readonly reads: ReplicaReads,
  ) {}

  /** Checks a filter (dates, range, ids that exist) and returns the scope to aggregate. */
  async scope(filter: ReliabilityFilterInput, field = 'filter'): Promise<ReportScope> {
    assertValid(validateReportRange({ from: filter.from, to: filter.to }, field, filter.interval ?? DEFAULT_TREND_INTERVAL));
    const errors: FieldError[] = [];
    const teamId = blankToNull(filter.teamId);
    const serviceId = blankToNull(filter.serviceId);
    if (teamId && !(isUuid(teamId) && (await this.repo.teamExists(teamId)))) errors.push({ field: `${field}.teamId`, reason: `no team with id "${teamId}"` });
    if (serviceId && !(isUuid(serviceId) && (await this.repo.serviceExists(serviceId)))) {
      errors.push({ field: `${field}.serviceId`, reason: `no service with id "${serviceId}"` });
    }
    const segment = blankToNull(filter.segment);
    if (segment && segment.length > 100) errors.push({ field: `${field}.segment`, reason: 'a segment is at most 100 characters' });
    assertValid(errors);
    const severities = filter.severities?.length ? SEVERITIES.filter((s) => filter.severities?.includes(s)) : null;
    return { from: filter.from, to: filter.to, interval: filter.interval ?? DEFAULT_TREND_INTERVAL, teamId, serviceId, severities, segment };
  }

  @FromReplica()
  async reliabilityReport(filter: ReliabilityFilterInput, now = new Date()): Promise<ReliabilityReportType> {
    // The filter's checks and the rate in force are independent look-ups: one round trip of latency, not two.
    const [scope, { hourlyResponderRate }] = await Promise.all([this.scope(filter), this.policies.current()]);
    return this.assemble(scope, await this.repo.reliabilityReport(scope, now, hourlyResponderRate), now);
  }

  /**
   * The report's checked filter alone, for a selection of nothing but the fields other libraries
   * derive from it (reminder responses, runbooks, the learning figures): the Reliability page asks
   * for those in queries of their own, and each would otherwise read and aggregate every incident
   * of the period for figures nobody asked for.
   */
  @FromReplica()
  async reportScope(filter: ReliabilityFilterInput): Promise<ReliabilityReportScope> {
    const scope = await this.scope(filter);
    return { from: scope.from, to: scope.to, interval: scope.interval, [REPORT_TEAM_ID]: scope.teamId ?? null, [REPORT_SCOPE]: scope };
  }

  /** The DORA rows (deployments per period, failed changes) of a checked scope: the review's baseline periods. */
  @FromReplica()
  doraRows(scope: ReportScope): Promise<DoraRows> {
    return this.repo.doraRows(scope);
  }

  /** The same filter for one segment and for everyone (the filter's own segment must be empty). */
  @FromReplica()
  async segmentComparison(filter: ReliabilityFilterInput, segment: string, now = new Date()): Promise<{ segment: string; segmentReport: ReliabilityReportType; everyone: ReliabilityReportType }> {
    const wanted = blankToNull(segment);
    const errors: FieldError[] = [];
    if (!wanted) errors.push({ field: 'segment', reason: 'name the customer segment to compare, e.g. "enterprise"' });
    if (blankToNull(filter.segment)) errors.push({ field: 'filter.segment', reason: 'leave filter.segment empty; the segment argument names the segment to compare with everyone' });
    assertValid(errors);
    const scope = await this.scope({ ...filter, segment: wanted });
    const { hourlyResponderRate } = await this.policies.current();
    const [mine, all] = await Promise.all([
      this.repo.reliabilityReport(scope, now, hourlyResponderRate),
      this.repo.reliabilityReport({ ...scope, segment: null }, now, hourlyResponderRate),
    ]);
    return { segment: wanted ?? '', segmentReport: this.assemble(scope, mine, now), everyone: this.assemble({ ...scope, segment: null }, all, now) };
  }

  private assemble(scope: ReportScope, rows: ReportRows & { dora: DoraRows }, now: Date): ReliabilityReportType {
    const overall = rows.periods.find((p) => p.period === null);
    const deploymentsIn = new Map(rows.dora.deployments.map((d) => [d.period, d.deployments]));
    const failedBy = new Map<number, DoraRows['failed']>();
    for (const f of rows.dora.failed) failedBy.set(f.period, [...(failedBy.get(f.period) ?? []), f]);
    const failedIn = (period: number): DoraRows['failed'] => failedBy.get(period) ?? [];
    const byPeriod = new Map(rows.periods.filter((p) => p.period !== null).map((p) => [p.period, p]));
    const points = periodsBetween(scope.from, scope.to, scope.interval).map((periodStart) => {
      const p = byPeriod.get(periodStart.getTime());
      return {
        periodStart,
        incidents: p?.incidents ?? 0,
        bySeverity: SEVERITIES.map((severity, i) => ({ severity, count: p?.severities[i] ?? 0 })),
        ...durationFields<PeriodDurationField>(p, PERIOD_DURATIONS),
        cost: p?.cost ?? 0,
        dora: doraOf(deploymentsIn.get(periodStart.getTime()) ?? 0, failedIn(periodStart.getTime()),
          periodExposureDays(periodStart, nextPeriodStart(periodStart, scope.interval), scope.from, scope.to, now)),
      };
    });
    const ai = rows.actionItems;
    return {
      from: scope.from,
      to: scope.to,
      interval: scope.interval,
      incidents: overall?.incidents ?? 0,
      points,
      ...durationFields<ReportDurationField>(overall, REPORT_DURATIONS),
      topFactorCategories: rows.categories ?? [],
      repeatIncidents: rows.repeats,
      actionItems: {
        open: ai.open,
        overdue: ai.overdue,
        done: ai.done,
        doneOnTime: ai.doneOnTime,
        doneOnTimeRate: ai.done === 0 ? null : ai.doneOnTime / ai.done,
        overdueAgeDays: ai.ages,
      },
      postmortemsPublishedOnTimeRate: rows.postmortems.counted === 0 ? null : rows.postmortems.onTime / rows.postmortems.counted,
      totalCost: overall?.cost ?? 0,
      dora: doraOf(rows.dora.deployments.reduce((n, d) => n + d.deployments, 0), rows.dora.failed, doraDays(scope.from, scope.to, now)),
      [REPORT_TEAM_ID]: scope.teamId ?? null,
      [REPORT_SCOPE]: scope,
    };
  }

  /** PRODUCT.md 5 error budgets of the SLOs of one service (or all), optionally one segment's, at `at` (default now). */
  @FromReplica()
  async errorBudgets(serviceId: string | null | undefined, segment: string | null | undefined, at: Date | null | undefined): Promise<ErrorBudgetType[]> {
    const service = blankToNull(serviceId);
    if (service && !(isUuid(service) && (await this.repo.serviceExists(service)))) assertValid([{ field: 'serviceId', reason: `no service with id "${service}"` }]);
    if (at !== null && at !== undefined && Number.isNaN(at.getTime())) assertValid([{ field: 'at', reason: 'at is not a valid date-time' }]);
    const when = at ?? new Date();
    const slos = await this.budgets.slos(service, blankToNull(segment));
    const incidents = await this.budgets.budgetIncidents(slos.map((s) => s.id), when);
    return slos.map((slo) => {
      const counting = incidents.filter((i) => i.sloId === slo.id && countsAgainstSlo(i, slo));
      const budget = errorBudget({ objective: slo.objective, windowDays: slo.windowDays, at: when, incidents: counting });
      return { slo: { ...slo }, at: when, windowStart: new Date(when.getTime() - slo.windowDays * MS_PER_DAY), ...budget };
    });
  }

  /**
   * PRODUCT.md 5 ROI of each item, in one round trip per batch: expected incidents avoided a
   * year = the incidents sharing a service with the item's incident and a factor of the
   * category it addresses, over the ROI_LOOKBACK_DAYS up to completion (or now); their mean
   * cost prices one. Null without an addressed factor, without effort, or with no such incident.
   */
  async roi(itemIds: readonly string[], now = new Date()): Promise<(number | null)[]> {
    const items = await this.roiRepo.roiItems(itemIds);
    const priced = items.filter((i) => i.category !== null && i.effortDays !== null);
    const { hourlyResponderRate, personDayCost } = await this.policies.current();
    const windows: PricedWindow[] = priced.map((i) => ({ key: i.id, incidentId: i.incidentId, category: i.category ?? 'UNKNOWN', ...roiLookback(roiAnchor(i), now) }));
    const costs = await this.roiRepo.pricedWindows(windows, now, hourlyResponderRate, true);
    const byId = new Map(items.map((i) => [i.id, i]));
    return itemIds.map((id) => {
      const item = byId.get(id);
      const past = costs.get(id);
      if (!item || !past) return null;
      return actionItemRoi({
        expectedIncidentsAvoidedPerYear: incidentsPerYear(past.length, ROI_LOOKBACK_DAYS),
        averageCostOfPastIncidents: averageIncidentCost(past),
        effortDays: item.effortDays,
        personDayCost,
      });
    });
  }

  /** PRODUCT.md 5 cost savings of the DONE items completed in [from, to). */
  @FromReplica()
  async costSavings(filter: CostSavingsFilterInput, now = new Date()): Promise<CostSavingsReportType> {
    const errors = validateReportRange({ from: filter.from, to: filter.to });
    const windowDays = filter.windowDays ?? DEFAULT_SAVINGS_WINDOW_DAYS;
    const windowError = checkNumber('filter.windowDays', windowDays, { min: 1, max: 365, integer: true });
    if (windowError) errors.push(windowError);
    const teamId = blankToNull(filter.teamId);
    const serviceId = blankToNull(filter.serviceId);
    if (teamId && !(isUuid(teamId) && (await this.repo.teamExists(teamId)))) errors.push({ field: 'filter.teamId', reason: `no team with id "${teamId}"` });
    if (serviceId && !(isUuid(serviceId) && (await this.repo.serviceExists(serviceId)))) errors.push({ field: 'filter.serviceId', reason: `no service with id "${serviceId}"` });
    assertValid(errors);

    const rows = await this.roiRepo.savingsItems(filter.from, filter.to, teamId, serviceId);
    const plans = rows.map((r) => ({ row: r, windows: savingsWindows(r.completedAt, windowDays, now) }));
    const windows: PricedWindow[] = plans.flatMap(({ row, windows: w }) =>
      w ? [
        { key: `${row.id}:before`, incidentId: row.incidentId, category: row.category, ...w.before },
        { key: `${row.id}:after`, incidentId: row.incidentId, category: row.category, ...w.after },
      ] : [],
    );
    const { hourlyResponderRate } = await this.policies.current();
    const [costs, items] = await Promise.all([
      this.roiRepo.pricedWindows(windows, now, hourlyResponderRate, false),
      this.actionItems.byIds(rows.map((r) => r.id)),
    ]);
    const itemById = new Map(items.map((i) => [i.id, i]));
    const out = plans.flatMap(({ row, windows: w }) => {
      const item = itemById.get(row.id);
      if (!item || !w) return [];
      const before = costs.get(`${row.id}:before`) ?? [];
      const after = costs.get(`${row.id}:after`) ?? [];
      const costBefore = sumMoney(before);
      const costAfter = sumMoney(after);
      return [{
        actionItem: item, category: row.category, windowDays: w.lengthDays,
        incidentsBefore: before.length, incidentsAfter: after.length, costBefore, costAfter, savings: sumMoney([costBefore, -costAfter]),
      }];
    });
    const costBefore = sumMoney(out.map((o) => o.costBefore));
    const costAfter = sumMoney(out.map((o) => o.costAfter));
    return {
      items: out,
      incidentsBefore: out.reduce((n, o) => n + o.incidentsBefore, 0),
      incidentsAfter: out.reduce((n, o) => n + o.incidentsAfter, 0),
      costBefore,
      costAfter,
      savings: sumMoney([costBefore, -costAfter]),
    };
  }
}
