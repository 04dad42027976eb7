import { DEFAULT_POLICIES } from '@hindsight/domain';
import { minutesBetween } from './metrics.sql';

/**
 * PRODUCT.md 5 cost of an incident, the one SQL statement of it (the domain's
 * incidentCostBreakdown, float operation for float operation): outage minutes (to mitigation,
 * else resolution, else now) × Σ revenue per minute of its services × impact fraction +
 * responder hours × hourly rate + SLA credits, rounded to cents. The database's CHECKs keep
 * every input ≥ 0 and the fraction in [0, 1], which the domain function clamps. The rollup
 * stores the revenue loss of an ended outage; what moves with the clock or the hourly rate is
 * applied when a report reads it.
 */

/** Outage minutes × Σ revenue per minute × impact fraction (`revenue` numeric, NULL = 0). */
export const revenueLoss = (minutes: string, revenue: string, fraction: string): string =>
  `greatest(0::float8, ${minutes}) * coalesce(${revenue}, 0)::float8 * ${fraction}`;

/** The whole cents of a cost, as float8: floor(x × 100 + 0.5) is the domain's roundTo(x, 2) × 100 for positive amounts. */
export const wholeCents = (loss: string, responderHours: string, rate: string, slaCredits: string): string =>
  `floor((${loss} + coalesce(${responderHours}, 0) * ${rate} + coalesce(${slaCredits}, 0)) * 100 + 0.5)`;

/** The revenue loss of incident row `i` once its outage has ended (mitigated or resolved), NULL while it grows with the clock. */
export const endedRevenueLoss = (i: string, revenue: string): string =>
  `CASE WHEN coalesce(${i}.mitigated_at, ${i}.resolved_at) IS NOT NULL THEN
     ${revenueLoss(minutesBetween(`${i}.started_at`, `coalesce(${i}.mitigated_at, ${i}.resolved_at)`), revenue, `${i}.impact_fraction`)}
   END`;

/**
 * The cost of incident row `i` (incidents) as of `now`, in currency. `revenueSum` is its Σ
 * revenue per minute when the caller joined it already; otherwise a subquery.
 */
export function incidentCost(i: string, now: string, hourlyRate: string, revenueSum?: string): string {
  const sum = revenueSum ?? `(SELECT sum(s.revenue_per_minute) FROM incident_services x JOIN services s ON s.id = x.service_id WHERE x.incident_id = ${i}.id)`;
  const loss = revenueLoss(minutesBetween(`${i}.started_at`, `coalesce(${i}.mitigated_at, ${i}.resolved_at, ${now})`), sum, `${i}.impact_fraction`);
  return `(${wholeCents(loss, `${i}.responder_hours`, hourlyRate, `${i}.sla_credits`)} / 100)`;
}

/**
 * The cost of rollup row `f` (incident_facts) in whole cents as of `now`: its stored loss when
 * the outage has ended, else one priced to `now`. Sums of whole cents are exact integers; ÷ 100
 * once at the end rounds like summing the costs as decimals.
 */
export function factCostCents(f: string, now: string, hourlyRate: string): string {
  const loss = `coalesce(${f}.revenue_loss, ${revenueLoss(minutesBetween(`${f}.started_at`, now), `${f}.revenue`, `${f}.impact_fraction`)})`;
  return wholeCents(loss, `${f}.responder_hours`, hourlyRate, `${f}.sla_credits`);
}

/** The whole cents of rollup row `f` if its outage has ended, at rate `rate`; NULL while it is open (the cells price those at query time). */
export const endedCostCents = (f: string, rate: string): string =>
  `CASE WHEN ${f}.revenue_loss IS NOT NULL THEN ${wholeCents(`${f}.revenue_loss`, `${f}.responder_hours`, rate, `${f}.sla_credits`)} END`;

/** The hourly responder rate in force: the policies' (settings), DEFAULT_POLICIES' while they hold none. */
export const RATE_IN_FORCE = `coalesce((SELECT (value ->> 'hourlyResponderRate')::float8 FROM settings WHERE key = 'policies'), ${DEFAULT_POLICIES.hourlyResponderRate})`;
