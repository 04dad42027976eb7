import { DAY_HISTOGRAM_BOUNDS, MINUTE_HISTOGRAM_BOUNDS } from '@hindsight/domain';

/**
 * SQL fragments that restate the domain's definitions for set-based aggregation. Each one
 * mirrors a pure function float operation for float operation, so the numbers agree to the
 * last bit with what libs/domain computes from the same rows (insights.spec.ts checks it):
 * - minutes between two instants: whole milliseconds as float8 ÷ 60000 (minutesBetween);
 * - cost: incidentCostBreakdown, rounded to cents like roundTo (floor(x × 100 + 0.5) ÷ 100
 *   is Math.round for positive amounts);
 * - distributions: percentile_cont is percentileCont; histogram bins (previous, upper].
 */

/** Milliseconds from `a` to `b` as an exact numeric (microsecond timestamps keep their fraction). */
const ms = (a: string, b: string): string => `((extract(epoch FROM ${b}) - extract(epoch FROM ${a})) * 1000)`;

/** minutesBetween(a, b); NULL when b is NULL. */
export const minutesBetween = (a: string, b: string): string => `(${ms(a, b)}::float8 / 60000)`;

/** Fractional days from `a` to `b`. */
export const daysBetween = (a: string, b: string): string => `(${ms(a, b)}::float8 / 86400000)`;

/**
 * PRODUCT.md 5 cost of incident `i` as of `now`: outage minutes (to mitigation, else
 * resolution, else now) × Σ revenue per minute of its services × impact fraction + responder
 * hours × rate + SLA credits, in cents. The database's CHECKs keep every input ≥ 0 and the
 * fraction in [0, 1], which the domain function clamps. `revenueSum` is the Σ revenue per
 * minute (numeric) when the caller joined it already; otherwise a subquery per incident.
 */
export function costExpression(i: string, now: string, hourlyRate: string, revenueSum?: string): string {
  const outage = `greatest(0::float8, ${minutesBetween(`${i}.started_at`, `coalesce(${i}.mitigated_at, ${i}.resolved_at, ${now})`)})`;
  const sum = revenueSum ?? `(SELECT sum(s.revenue_per_minute) FROM incident_services x JOIN services s ON s.id = x.service_id WHERE x.incident_id = ${i}.id)`;
  const revenue = `coalesce(${sum}, 0)::float8`;
  const total = `${outage} * ${revenue} * ${i}.impact_fraction + coalesce(${i}.responder_hours, 0) * ${hourlyRate} + coalesce(${i}.sla_credits, 0)`;
  return `(floor((${total}) * 100 + 0.5) / 100)`;
}

/**
 * The cost of rollup row `f` (incident_facts) in whole cents, as float8: costExpression × 100.
 * The rollup stores the revenue loss of an ended outage (the same float operations, in the
 * same order) and the inputs of an open one, so the clock and the hourly rate are applied
 * here, at query time. Sums of cents are exact integers; ÷ 100 once at the end rounds like
 * summing the costs as decimals.
 */
export function factCostCents(f: string, now: string, hourlyRate: string): string {
  const openLoss = `greatest(0::float8, ${minutesBetween(`${f}.started_at`, now)}) * coalesce(${f}.revenue, 0)::float8 * ${f}.impact_fraction`;
  const total = `coalesce(${f}.revenue_loss, ${openLoss}) + coalesce(${f}.responder_hours, 0) * ${hourlyRate} + coalesce(${f}.sla_credits, 0)`;
  return `floor((${total}) * 100 + 0.5)`;
}

function histogramBins(x: string, bounds: readonly number[]): string {
  const bins = bounds.map((b, k) => (k === 0 ? `${x} <= ${b}` : `${x} > ${bounds[k - 1]} AND ${x} <= ${b}`));
  bins.push(`${x} > ${bounds[bounds.length - 1]}`);
  return `ARRAY[${bins.map((cond) => `count(*) FILTER (WHERE ${cond})`).join(', ')}]::int[]`;
}

/** median and p90 of column `x` as a float8[2]: one sort (PostgreSQL computes identical aggregate calls once). */
export const percentiles = (x: string): string => `percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${x})`;

/**
 * count, median, p90, max and histogram of column `x` as one json object, NULLs left out
 * (incidents lacking the milestone). json carries float8 in shortest round-trip form.
 */
export function statsJson(x: string, bounds: readonly number[] = MINUTE_HISTOGRAM_BOUNDS): string {
  return `json_build_object(
    'count', count(${x}),
    'median', (${percentiles(x)})[1],
    'p90', (${percentiles(x)})[2],
    'max', max(${x}),
    'bins', ${histogramBins(x, bounds)})`;
}

/** The additive part of a distribution (count, max, histogram) as one json object: summed over periods for the whole range. */
export function countsJson(x: string, bounds: readonly number[] = MINUTE_HISTOGRAM_BOUNDS): string {
  return `json_build_object('count', count(${x}), 'max', max(${x}), 'bins', ${histogramBins(x, bounds)})`;
}

export const dayStatsJson = (x: string): string => statsJson(x, DAY_HISTOGRAM_BOUNDS);

/**
 * dayStatsJson of the ages daysBetween(d, now) of due dates `d` (all before `now`) in relation
 * `source`, without computing an age per date (numeric arithmetic, the bulk of the cost): an
 * age is decreasing in its due date, so the ranks of the ages are those of the dates sorted
 * newest first and only the dates at the percentiles' ranks (and the oldest, for max) are
 * turned into ages; interpolated as percentile_cont does (lo + (hi − lo) × fraction). A bin
 * bound of B whole days holds d ≥ now − B × 24 h: with microsecond dates (at most ~10^12 ms
 * apart) and integer bounds, age ≤ B exactly when the milliseconds are ≤ B × 86,400,000.
 */
export function overdueAgesJson(source: string, now: string): string {
  const age = (d: string) => daysBetween(d, now);
  const at = (rank: string) => age(`s.ds[(${rank})::int + 1]`);
  const pct = (q: number) => {
    const rank = `${q}::float8 * (s.n - 1)`;
    return `CASE WHEN s.n = 0 THEN NULL ELSE ${at(`floor(${rank})`)} + (${at(`ceil(${rank})`)} - ${at(`floor(${rank})`)}) * (${rank} - floor(${rank})) END`;
  };
  const cut = (b: number) => `${now} - ${b} * interval '24 hours'`;
  const bins = DAY_HISTOGRAM_BOUNDS.map((b, k) => (k === 0 ? `d >= ${cut(b)}` : `d < ${cut(DAY_HISTOGRAM_BOUNDS[k - 1])} AND d >= ${cut(b)}`));
  bins.push(`d < ${cut(DAY_HISTOGRAM_BOUNDS[DAY_HISTOGRAM_BOUNDS.length - 1])}`);
  return `(SELECT json_build_object('count', s.n, 'median', ${pct(0.5)}, 'p90', ${pct(0.9)}, 'max', CASE WHEN s.n > 0 THEN ${age('s.oldest')} END, 'bins', s.bins)
      FROM (SELECT count(*)::int AS n, min(d) AS oldest, array_agg(d ORDER BY d DESC) AS ds,
                   ARRAY[${bins.map((c) => `count(*) FILTER (WHERE ${c})`).join(', ')}]::int[] AS bins
              FROM ${source}) s)`;
}

/** Numbered parameters and AND-ed conditions. */
export class SqlParams {
  readonly values: unknown[] = [];
  private readonly conditions: string[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  where(sql: string): void {
    this.conditions.push(sql);
  }

  get conjunction(): string {
    return this.conditions.length ? this.conditions.join(' AND ') : 'true';
  }
}
