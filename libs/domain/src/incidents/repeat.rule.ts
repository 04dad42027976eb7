import { FactorCategory } from '../enums/contract.enums';
import { MS_PER_DAY } from '../time/time.util';

/** PRODUCT.md 5: the look-back of the repeat-incident rule. */
export const REPEAT_WINDOW_DAYS = 90;

export interface RepeatCandidate {
  readonly id?: string;
  readonly startedAt: Date;
  readonly serviceIds: readonly string[];
  readonly factorCategories: readonly FactorCategory[];
}

/**
 * PRODUCT.md 5: an incident is a repeat when one of its services had an earlier incident
 * with a contributing factor of one of its categories, started within the previous 90 days.
 * "Previous" is strictly before this incident's startedAt (two incidents declared for the
 * same second are not repeats of each other) and at most 90 × 24 h before it (exactly 90
 * days counts). The service and the category only need to be shared, not paired, because
 * factors are recorded per incident, not per service. UNKNOWN matches UNKNOWN like any
 * other category, as the spec says "same category".
 */
export function isRepeat(incident: RepeatCandidate, priorIncidents: readonly RepeatCandidate[], windowDays = REPEAT_WINDOW_DAYS): boolean {
  if (incident.serviceIds.length === 0 || incident.factorCategories.length === 0) return false;
  const start = incident.startedAt.getTime();
  const earliest = start - windowDays * MS_PER_DAY;
  const services = new Set(incident.serviceIds);
  const categories = new Set(incident.factorCategories);
  return priorIncidents.some((p) => {
    if (incident.id !== undefined && p.id === incident.id) return false;
    const t = p.startedAt.getTime();
    return (
      t < start &&
      t >= earliest &&
      p.serviceIds.some((s) => services.has(s)) &&
      p.factorCategories.some((c) => categories.has(c))
    );
  });
}
