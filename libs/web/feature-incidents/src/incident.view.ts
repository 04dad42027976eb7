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

export const STATUS_TONE: Record<IncidentStatus, BadgeTone> = {
  INVESTIGATING: 'danger',
  IDENTIFIED: 'warning',
  MITIGATED: 'info',
  RESOLVED: 'ok',
  CLOSED: 'neutral',
};

/** COMMANDER and above edit incidents, timelines, analyses and postmortems (PRODUCT.md 1). */
export function canEditIncidents(user: SessionUserFragment | null | undefined): boolean {
  return !!user && hasAtLeast(user.role, 'COMMANDER');
}

/** Comma-separated words as a clean list: "eu, enterprise," → ["eu", "enterprise"]. */
export const splitList = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);
