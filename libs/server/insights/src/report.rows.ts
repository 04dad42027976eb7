import { distributionOf, REPORT_DURATIONS, type DistributionStats } from '@hindsight/domain';
import { RANK_BUCKETS } from '@hindsight/server-insights-sql';
import { float8s, instantsMs } from './float8.decode';
import { RankBuckets, type BucketedDistribution } from './rank-buckets';
import { assembleRows, DistributionCounts, fromCounts, overdueAges, PERIOD_DURATIONS, PeriodSums, ReportRows, sumCounts } from './report.assembly';
import { cellRanksSql, cellsReportSql, factsReportSql, ReportScope } from './report.sql';

/** Runs one statement in the report's transaction and returns its rows. */
export type ReportQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/** One period of statement 1 over the cells: its sums, and per distribution its additive part and summed rank counts. */
interface CellPeriod extends PeriodSums {
  distributions: Record<string, DistributionCounts & { ranks: number[] }>;
}

/** Statement 1 over the cells. */
interface CellsStatementRow {
  periods: CellPeriod[] | null;
  categories: ReportRows['categories'];
  overdue: Buffer;
  rateOk: boolean;
}

/** One period of the statement over incident_facts: its sums, and the values of each distribution (float8, base64). */
interface FactsPeriod extends PeriodSums {
  values: Record<string, string>;
}

interface FactsStatementRow {
  periods: FactsPeriod[] | null;
  categories: ReportRows['categories'];
  overdue: Buffer;
}

/** The report over the cells, or null when they are priced at another rate. Both statements in one REPEATABLE READ snapshot. */
async function cellsReportRows(query: ReportQuery, scope: ReportScope, now: Date, hourlyRate: number): Promise<ReportRows | null> {
  const first = cellsReportSql(scope, now, hourlyRate);
  const [row] = await query<CellsStatementRow>(first.sql, first.params);
  if (!row?.rateOk) return null;
  const periods = row.periods ?? [];
  const whole = REPORT_DURATIONS.map((d) => {
    const parts = periods.map((p) => p.distributions[d.key]);
    return { key: d.key, counts: sumCounts(parts), ranks: parts.reduce((sum, p) => sum.map((n, k) => n + p.ranks[k]), new Array<number>(RANK_BUCKETS).fill(0)) };
  });
  const dists: BucketedDistribution[] = [
    ...periods.flatMap((p) => PERIOD_DURATIONS.map((d) => ({ key: d.key, period: p.period, ranks: p.distributions[d.key].ranks }))),
    ...whole.map((w) => ({ key: w.key, period: null, ranks: w.ranks })),
  ];
  const buckets = new RankBuckets(dists);
  if (buckets.targets.length) {
    const second = cellRanksSql(scope, hourlyRate, buckets.targets);
    for (const r of await query<{ id: number; values: Buffer }>(second.sql, second.params)) buckets.receive(r.id, float8s(r.values));
  }
  // The distributions in the order of `dists`: each period's, then the whole range's.
  const withStats = periods.map((p, i) => ({
    ...p,
    durations: Object.fromEntries(PERIOD_DURATIONS.map((dur, k) => [dur.key, fromCounts(p.distributions[dur.key], buckets.quantiles(i * PERIOD_DURATIONS.length + k), dur.bounds)])),
  }));
  const overall = Object.fromEntries(
    REPORT_DURATIONS.map((dur, k) => [dur.key, fromCounts(whole[k].counts, buckets.quantiles(periods.length * PERIOD_DURATIONS.length + k), dur.bounds)]),
  );
  return assembleRows(withStats, overall, row.categories, overdueAges(instantsMs(row.overdue), now));
}

/** The report's rows from incident_facts alone (factsReportSql): what the cells must equal, to the digit. */
export async function factsReportRows(query: ReportQuery, scope: ReportScope, now: Date, hourlyRate: number): Promise<ReportRows> {
  const { sql, params } = factsReportSql(scope, now, hourlyRate);
  const [row] = await query<FactsStatementRow>(sql, params);
  if (!row) throw new Error('the report statement returned no row');
  const periods = (row.periods ?? []).map((p) => ({ ...p, values: Object.fromEntries(REPORT_DURATIONS.map((d) => [d.key, float8s(Buffer.from(p.values[d.key], 'base64'))])) }));
  const withStats = periods.map((p) => ({ ...p, durations: Object.fromEntries(PERIOD_DURATIONS.map((d) => [d.key, distributionOf(p.values[d.key], d.bounds)])) }));
  const overall: Record<string, DistributionStats> = Object.fromEntries(
    REPORT_DURATIONS.map((d) => {
      const all = new Float64Array(periods.reduce((n, p) => n + p.values[d.key].length, 0));
      periods.reduce((at, p) => (all.set(p.values[d.key], at), at + p.values[d.key].length), 0);
      return [d.key, distributionOf(all, d.bounds)];
    }),
  );
  return assembleRows(withStats, overall, row.categories, overdueAges(instantsMs(row.overdue), now));
}

/**
 * The report's rows, as the API computes them (public so the benchmark runs exactly that):
 * over the cells unless a team or service is filtered (the cells do not split by them) or
 * the cells are priced at another hourly rate; else over incident_facts. Run it in one
 * REPEATABLE READ transaction after REPORT_SETTINGS: its statements then see one snapshot.
 */
export async function reliabilityReportRows(query: ReportQuery, scope: ReportScope, now: Date, hourlyRate: number): Promise<ReportRows> {
  if (!scope.teamId && !scope.serviceId) {
    const rows = await cellsReportRows(query, scope, now, hourlyRate);
    if (rows) return rows;
  }
  return factsReportRows(query, scope, now, hourlyRate);
}
