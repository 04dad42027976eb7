import { isValidDate, minutesBetween, roundTo } from '../time/time.util';

export interface OutageTimes {
  readonly startedAt: Date;
  readonly mitigatedAt?: Date | null;
  readonly resolvedAt?: Date | null;
}

/**
 * Minutes of customer impact: startedAt → mitigatedAt, else resolvedAt, else `now` for an
 * incident still open. Mitigation ends the revenue loss (traffic is flowing again) even
 * though clean-up may run until resolution, so cost stops at mitigation. This differs on
 * purpose from the error budget, which PRODUCT.md 5 defines on [startedAt, resolvedAt]:
 * the SLO counts until the service is declared healthy again. Never negative.
 */
export function outageMinutes(times: OutageTimes, now: Date): number {
  const end = [times.mitigatedAt, times.resolvedAt, now].find(isValidDate) ?? now;
  if (!isValidDate(times.startedAt)) return 0;
  return Math.max(0, minutesBetween(times.startedAt, end));
}

export interface IncidentCostInput {
  /** Known outage minutes; when absent they are derived from `times` (see outageMinutes). */
  readonly outageMinutes?: number | null;
  readonly times?: OutageTimes | null;
  /** Revenue per minute of full outage, one entry per affected service; null = unknown (counts 0). */
  readonly revenuePerMinuteOfAffectedServices: readonly (number | null | undefined)[];
  /** Share of the affected services' traffic that was impacted, 0–1. Defaults to 1. */
  readonly impactFraction?: number | null;
  readonly responderHours?: number | null;
  /** Policies.hourlyResponderRate */
  readonly hourlyRate: number;
  readonly slaCredits?: number | null;
}

export interface IncidentCostBreakdown {
  readonly outageMinutes: number;
  readonly revenueLoss: number;
  readonly responderCost: number;
  readonly slaCredits: number;
  readonly total: number;
}

const finite = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * PRODUCT.md 5: outage minutes × Σ revenue per minute of the affected services × impact
 * fraction + responder hours × hourly rate + SLA credits. Unknown figures count as 0, so an
 * incident with nothing but responder hours still shows their cost. Revenue of several
 * affected services adds up (each service's figure is its own loss at full outage). The
 * total is rounded to cents: it is money, and float noise would leak into reports.
 */
export function incidentCostBreakdown(input: IncidentCostInput, now: Date): IncidentCostBreakdown {
  const minutes =
    input.outageMinutes !== undefined && input.outageMinutes !== null
      ? Math.max(0, finite(input.outageMinutes))
      : input.times
        ? outageMinutes(input.times, now)
        : 0;
  const revenuePerMinute = input.revenuePerMinuteOfAffectedServices.reduce<number>((sum, r) => sum + Math.max(0, finite(r)), 0);
  const fraction = input.impactFraction === null || input.impactFraction === undefined ? 1 : Math.min(1, Math.max(0, finite(input.impactFraction)));
  const revenueLoss = minutes * revenuePerMinute * fraction;
  const responderCost = Math.max(0, finite(input.responderHours)) * Math.max(0, finite(input.hourlyRate));
  const slaCredits = Math.max(0, finite(input.slaCredits));
  return {
    outageMinutes: minutes,
    revenueLoss: roundTo(revenueLoss, 2),
    responderCost: roundTo(responderCost, 2),
    slaCredits: roundTo(slaCredits, 2),
    total: roundTo(revenueLoss + responderCost + slaCredits, 2),
  };
}

/** The total of incidentCostBreakdown. */
export function incidentCost(input: IncidentCostInput, now: Date): number {
  return incidentCostBreakdown(input, now).total;
}
