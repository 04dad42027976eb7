import { DURATION_SPANS, REPORT_DURATIONS, type Milestone, type ReportDuration } from '@hindsight/domain';

/**
 * The SQL of the report's distributions, generated from their declarations in libs/domain
 * (DURATION_SPANS, REPORT_DURATIONS): each fragment restates a domain function float
 * operation for float operation, so the database and the domain reference agree to the digit.
 */

/** The `incidents` column of each milestone. */
export const MILESTONE_COLUMNS: Readonly<Record<Milestone, string>> = {
  startedAt: 'started_at',
  detectedAt: 'detected_at',
  acknowledgedAt: 'acknowledged_at',
  mitigatedAt: 'mitigated_at',
  resolvedAt: 'resolved_at',
};

/** Milliseconds from `a` to `b` as an exact numeric (microsecond timestamps keep their fraction). */
const ms = (a: string, b: string): string => `((extract(epoch FROM ${b}) - extract(epoch FROM ${a})) * 1000)`;

/** The domain's minutesBetween(a, b): whole milliseconds as float8 ÷ 60000; NULL when either is NULL. */
export const minutesBetween = (a: string, b: string): string => `(${ms(a, b)}::float8 / 60000)`;

/** A report distribution's value for incident row `i` (incidents): durationMinutes of its span. */
export function durationOf(d: ReportDuration, i: string): string {
  const { from, to } = DURATION_SPANS[d.duration];
  return minutesBetween(`${i}.${MILESTONE_COLUMNS[from]}`, `${i}.${MILESTONE_COLUMNS[to]}`);
}

/** The keys of the distributions the rollups store, one column (and column family) each. */
export const DURATION_KEYS: readonly string[] = REPORT_DURATIONS.map((d) => d.key);

/** The domain's histogram of `x` as int[]: a count per bin (previous, upper], the first bin also below, then the overflow bin. */
export function binCounts(x: string, bounds: readonly number[]): string {
  const bins = bounds.map((b, k) => (k === 0 ? `${x} <= ${b}` : `${x} > ${bounds[k - 1]} AND ${x} <= ${b}`));
  bins.push(`${x} > ${bounds[bounds.length - 1]}`);
  return `ARRAY[${bins.map((cond) => `count(*) FILTER (WHERE ${cond})`).join(', ')}]::int[]`;
}

/**
 * Rank buckets of the stored minute values (incident_fact_cells): thresholds 2^(k/2) minutes,
 * 15 s to 91 days. A cell's `<key>_ranks[j]` counts its values below the j-th threshold, the
 * last entry all of them, so summing them over cells tells which bucket holds a given rank of
 * the whole selection.
 */
export const RANK_THRESHOLDS: readonly number[] = Array.from({ length: 39 }, (_, i) => 2 ** ((i - 4) / 2));
/** Entries of a `<key>_ranks`: the thresholds, then the count. */
export const RANK_BUCKETS = RANK_THRESHOLDS.length + 1;

export const rankCounts = (x: string): string => `ARRAY[${[...RANK_THRESHOLDS.map((t) => `count(*) FILTER (WHERE ${x} < ${t})`), `count(${x})`].join(', ')}]::int[]`;
