import { SloDimension } from '../enums/contract.enums';
import { isValidDate, MINUTES_PER_DAY, MS_PER_DAY, MS_PER_MINUTE, roundTo } from '../time/time.util';

/** PRODUCT.md 3: an SLO's rolling window defaults to 28 days. */
export const DEFAULT_SLO_WINDOW_DAYS = 28;

/**
 * The objective as a fraction. PRODUCT.md 5 defines `o` as a fraction (0.999) while the
 * contract's example writes "99.9 %"; a value above 1 and below 100 can only be meant as a
 * percentage, so it is divided by 100 instead of producing a negative budget. The quotient
 * is rounded to 12 decimals so that 99.9 gives exactly 0.999 (not 0.9990000000000001), which
 * is what gets stored and shown back.
 */
export function objectiveFraction(objective: number): number {
  return objective > 1 && objective < 100 ? roundTo(objective / 100, 12) : objective;
}

export interface BudgetIncident {
  readonly startedAt: Date;
  /** null while open: the incident consumes budget up to `at`. */
  readonly resolvedAt: Date | null;
}

export interface ErrorBudgetInput {
  readonly objective: number;
  readonly windowDays?: number;
  readonly at: Date;
  /** Only the incidents that count against this SLO (see countsAgainstSlo). */
  readonly incidents: readonly BudgetIncident[];
}

export interface ErrorBudget {
  readonly budgetMinutes: number;
  readonly consumedMinutes: number;
  readonly remainingMinutes: number;
}

interface Interval {
  start: number;
  end: number;
}

/** Merges overlapping or touching intervals; the result is sorted and disjoint. */
function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const iv of sorted) {
    const last = merged[merged.length - 1];
    if (last && iv.start <= last.end) last.end = Math.max(last.end, iv.end);
    else merged.push({ ...iv });
  }
  return merged;
}

/**
 * PRODUCT.md 5 error budget at `at`: budget = (1 − o) × w × 1440 minutes; consumed = the
 * minutes of [startedAt, resolvedAt ?? at] inside the window [at − w days, at]; remaining =
 * budget − consumed (negative when overspent).
 *
 * Overlapping incidents are merged so that each minute counts once: the budget measures
 * minutes of unreliability, and two incidents declared for one outage (duplicates, or a
 * second symptom of the same failure) do not make the service twice as unavailable. An
 * incident that ended before the window, or starts after `at`, consumes nothing. Results
 * are rounded to 1e-6 minute to drop floating-point noise ((1 − 0.999) × 40320).
 */
export function errorBudget(input: ErrorBudgetInput): ErrorBudget {
  const o = objectiveFraction(input.objective);
  const w = input.windowDays ?? DEFAULT_SLO_WINDOW_DAYS;
  const budgetMinutes = (1 - o) * w * MINUTES_PER_DAY;
  const windowEnd = input.at.getTime();
  const windowStart = windowEnd - w * MS_PER_DAY;
  const clipped: Interval[] = [];
  for (const inc of input.incidents) {
    if (!isValidDate(inc.startedAt)) continue;
    const end = isValidDate(inc.resolvedAt) ? inc.resolvedAt.getTime() : windowEnd;
    const start = Math.max(inc.startedAt.getTime(), windowStart);
    const stop = Math.min(end, windowEnd);
    if (stop > start) clipped.push({ start, end: stop });
  }
  const consumedMs = mergeIntervals(clipped).reduce((sum, iv) => sum + (iv.end - iv.start), 0);
  const consumedMinutes = consumedMs / MS_PER_MINUTE;
  return {
    budgetMinutes: roundTo(budgetMinutes, 6),
    consumedMinutes: roundTo(consumedMinutes, 6),
    remainingMinutes: roundTo(budgetMinutes - consumedMinutes, 6),
  };
}

export interface SloScope {
  readonly serviceId: string;
  readonly dimension: SloDimension;
  readonly segment?: string | null;
}

export interface SloIncidentScope {
  readonly serviceIds: readonly string[];
  readonly impactedDimensions: readonly SloDimension[];
  readonly segments: readonly string[];
}

const normaliseSegment = (s: string): string => s.trim().toLowerCase();

/**
 * PRODUCT.md 5: an incident counts against an SLO when it lists the SLO's service and
 * dimension and — for an SLO with a segment — that segment. Segments compare trimmed and
 * case-insensitively ("Enterprise" is "enterprise"): they are typed by people.
 */
export function countsAgainstSlo(incident: SloIncidentScope, slo: SloScope): boolean {
  if (!incident.serviceIds.includes(slo.serviceId) || !incident.impactedDimensions.includes(slo.dimension)) return false;
  if (slo.segment === null || slo.segment === undefined || slo.segment.trim() === '') return true;
  const wanted = normaliseSegment(slo.segment);
  return incident.segments.some((s) => normaliseSegment(s) === wanted);
}
