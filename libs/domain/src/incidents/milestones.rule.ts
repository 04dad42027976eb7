import { FieldError } from '../validation/fields.validation';
import { isValidDate, minutesBetween } from '../time/time.util';

/** The incident milestones, in the order they must occur (PRODUCT.md 3). */
export const MILESTONES = ['startedAt', 'detectedAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** Any subset of the milestones; absent or null ones are not known (yet). */
export type MilestoneTimes = { readonly [K in Milestone]?: Date | null };

/**
 * Each milestone present must not precede any earlier one present (equal is fine: an alert
 * can detect and page in the same second). Returns the first offending field, compared
 * with the latest earlier milestone, e.g. `mitigatedAt (2024-05-01T10:00:00.000Z) is before
 * detectedAt (2024-05-01T11:00:00.000Z)`. Callers validating an update pass the merged
 * state (stored values overlaid with the input) so that moving one milestone is checked
 * against the others.
 */
export function validateMilestoneOrder(times: MilestoneTimes, fieldPrefix = 'input'): FieldError | null {
  let latest: { name: Milestone; at: Date } | null = null;
  for (const name of MILESTONES) {
    const at = times[name];
    if (at === undefined || at === null) continue;
    const field = fieldPrefix ? `${fieldPrefix}.${name}` : name;
    if (!isValidDate(at)) return { field, reason: `${name} is not a valid date-time` };
    if (latest && at.getTime() < latest.at.getTime()) {
      return { field, reason: `${name} (${at.toISOString()}) is before ${latest.name} (${latest.at.toISOString()}); milestones must follow the order ${MILESTONES.join(' ≤ ')}` };
    }
    latest = { name, at };
  }
  return null;
}

export interface IncidentDurations {
  readonly timeToDetectMinutes: number | null;
  readonly timeToAcknowledgeMinutes: number | null;
  readonly timeToMitigateMinutes: number | null;
  readonly timeToResolveMinutes: number | null;
}

/**
 * PRODUCT.md 5: each duration runs from startedAt to the milestone, in (fractional) minutes;
 * null when either end is missing, so the incident drops out of that distribution rather
 * than counting as zero.
 */
export function incidentDurations(times: MilestoneTimes): IncidentDurations {
  const start = times.startedAt;
  const to = (end: Date | null | undefined): number | null =>
    isValidDate(start) && isValidDate(end) ? minutesBetween(start, end) : null;
  return {
    timeToDetectMinutes: to(times.detectedAt),
    timeToAcknowledgeMinutes: to(times.acknowledgedAt),
    timeToMitigateMinutes: to(times.mitigatedAt),
    timeToResolveMinutes: to(times.resolvedAt),
  };
}
