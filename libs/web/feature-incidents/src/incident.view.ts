import { hasAtLeast } from '@hindsight/domain';
import type { IncidentStatus, Severity, SessionUserFragment } from '@hindsight/web-data-access';
import type { BadgeTone } from '@hindsight/web-ui';

export const SEVERITY_TONE: Record<Severity, BadgeTone> = { SEV1: 'danger', SEV2: 'warning', SEV3: 'info', SEV4: 'neutral' };
export const SEVERITY_HINT: Record<Severity, string> = {
  SEV1: 'SEV1: critical, most customers affected',
  SEV2: 'SEV2: major, a significant part of customers affected',
  SEV3: 'SEV3: minor, limited impact',
  SEV4: 'SEV4: low, little or no customer impact',
};

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  INVESTIGATING: 'Investigating',
  IDENTIFIED: 'Identified',
  MITIGATED: 'Mitigated',
  RESOLVED: 'Resolved',
  CLOSED: 'Closed',
};
export const STATUS_TONE: Record<IncidentStatus, BadgeTone> = {
  INVESTIGATING: 'danger',
  IDENTIFIED: 'warning',
  MITIGATED: 'info',
  RESOLVED: 'ok',
  CLOSED: 'neutral',
};

/** An enum value as words: "FEATURE_STORE_LAG" → "Feature store lag". */
export function humanize(value: string): string {
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const options = (values: readonly string[], label: (v: string) => string = humanize) => values.map((value) => ({ value, label: label(value) }));

/** COMMANDER and above edit incidents, timelines, analyses and postmortems (PRODUCT.md 1). */
export function canEditIncidents(user: SessionUserFragment | null | undefined): boolean {
  return !!user && hasAtLeast(user.role, 'COMMANDER');
}

/** Comma-separated words as a clean list: "eu, enterprise," → ["eu", "enterprise"]. */
export const splitList = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);
