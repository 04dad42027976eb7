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

/**
 * PRODUCT.md 5: the durations of an incident, each declared once as the span from one
 * milestone to another, in (fractional) minutes. The incident's own fields, the reliability
 * report's distributions (REPORT_DURATIONS) and the report's rollup in the database (its SQL is
 * generated from these spans, libs/server/insights/sql) all read them from here: changing what
 * a duration measures is an edit of this table.
 */
export const DURATION_SPANS = {
  timeToDetectMinutes: { from: 'startedAt', to: 'detectedAt' },
  timeToAcknowledgeMinutes: { from: 'startedAt', to: 'acknowledgedAt' },
  timeToMitigateMinutes: { from: 'startedAt', to: 'mitigatedAt' },
  timeToResolveMinutes: { from: 'startedAt', to: 'resolvedAt' },
} as const satisfies Record<string, { readonly from: Milestone; readonly to: Milestone }>;

export type DurationName = keyof typeof DURATION_SPANS;
export type IncidentDurations = { readonly [K in DurationName]: number | null };

/**
 * One duration of DURATION_SPANS: minutes from its first milestone to its second; null when
 * either is missing, so the incident drops out of that distribution rather than counting as
 * zero.
 */
export function durationMinutes(name: DurationName, times: MilestoneTimes): number | null {
  const { from, to } = DURATION_SPANS[name];
  const [start, end] = [times[from], times[to]];
  return isValidDate(start) && isValidDate(end) ? minutesBetween(start, end) : null;
}

/** Every duration of DURATION_SPANS. */
export function incidentDurations(times: MilestoneTimes): IncidentDurations {
  return {
    timeToDetectMinutes: durationMinutes('timeToDetectMinutes', times),
    timeToAcknowledgeMinutes: durationMinutes('timeToAcknowledgeMinutes', times),
    timeToMitigateMinutes: durationMinutes('timeToMitigateMinutes', times),
    timeToResolveMinutes: durationMinutes('timeToResolveMinutes', times),
  };
}
