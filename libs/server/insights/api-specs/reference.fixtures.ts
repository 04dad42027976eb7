import type { Client } from 'pg';
import { FactorCategory, incidentCost, reliabilityReport as referenceReport, Severity } from '@hindsight/domain';

const STATS = 'count median p90 max histogram { upperBound count }';
/** The reliability report's fields the specs compare with the reference (a GraphQL selection). */
export const REPORT = `from to interval incidents
  points { periodStart incidents bySeverity { severity count } timeToResolveMinutes { ${STATS} } cost }
  timeToDetectMinutes { ${STATS} } timeToMitigateMinutes { ${STATS} } timeToResolveMinutes { ${STATS} }
  topFactorCategories { category count } repeatIncidents
  actionItems { open overdue done doneOnTime doneOnTimeRate overdueAgeDays { ${STATS} } }
  postmortemsPublishedOnTimeRate totalCost`;

/** What the domain reference reads, straight from the raw tables (not the rollup). */
export async function loadReferenceRows(db: Client, hourlyRate: number, now: Date) {
  const raw = await db.query<{ id: string; severity: Severity; startedAt: Date; detectedAt: Date | null; mitigatedAt: Date | null; resolvedAt: Date | null;
    responderHours: number | null; slaCredits: number | null; impactFraction: number; segments: string[]; serviceIds: string[]; teamIds: string[];
    revenues: (number | null)[]; factorCategories: FactorCategory[] }>(
    `SELECT i.id, i.severity, i.started_at AS "startedAt", i.detected_at AS "detectedAt", i.mitigated_at AS "mitigatedAt", i.resolved_at AS "resolvedAt",
            i.responder_hours AS "responderHours", i.sla_credits AS "slaCredits", i.impact_fraction AS "impactFraction", i.segments,
            ARRAY(SELECT x.service_id::text FROM incident_services x WHERE x.incident_id = i.id) AS "serviceIds",
            ARRAY(SELECT s.team_id::text FROM incident_services x JOIN services s ON s.id = x.service_id WHERE x.incident_id = i.id) AS "teamIds",
            ARRAY(SELECT s.revenue_per_minute::float8 FROM incident_services x JOIN services s ON s.id = x.service_id WHERE x.incident_id = i.id) AS revenues,
            ARRAY(SELECT DISTINCT category FROM contributing_factors WHERE incident_id = i.id) AS "factorCategories"
       FROM incidents i WHERE i.kind = 'INCIDENT'`);
  const items = await db.query<{ incidentId: string; status: 'OPEN'; dueAt: Date; completedAt: Date | null }>(
    `SELECT incident_id AS "incidentId", status, due_at AS "dueAt", completed_at AS "completedAt" FROM action_items WHERE committed`);
  const postmortems = await db.query<{ incidentId: string; dueAt: Date | null; publishedAt: Date | null }>(
    `SELECT incident_id AS "incidentId", due_at AS "dueAt", published_at AS "publishedAt" FROM postmortems`);
  const incidents = raw.rows.map((i) => ({
    ...i,
    cost: incidentCost({ times: i, revenuePerMinuteOfAffectedServices: i.revenues, impactFraction: i.impactFraction, responderHours: i.responderHours, hourlyRate, slaCredits: i.slaCredits }, now),
  }));
  return { now, incidents, actionItems: items.rows, postmortems: postmortems.rows };
}

export type ReferenceRows = Awaited<ReturnType<typeof loadReferenceRows>>;
export type ReferenceIncident = ReferenceRows['incidents'][number];

/** The domain reference for `[from, to)` over the incidents `keep` selects, with dates as the API returns them. */
export function referenceFor(rows: ReferenceRows, from: Date, to: Date, interval: 'WEEK' | 'MONTH', keep: (i: ReferenceIncident) => boolean) {
  const covered = rows.incidents.filter((i) => keep(i) && i.startedAt >= from && i.startedAt < to);
  const ids = new Set(covered.map((i) => i.id));
  const expected = referenceReport({
    from, to, interval, now: rows.now, incidents: covered, history: rows.incidents,
    actionItems: rows.actionItems.filter((a) => ids.has(a.incidentId)), postmortems: rows.postmortems.filter((p) => ids.has(p.incidentId)),
  });
  return { ...expected, from: from.toISOString(), to: to.toISOString(), points: expected.points.map((p) => ({ ...p, periodStart: p.periodStart.toISOString() })) };
}

/**
 * A service's answer as the report query returns it: dates as ISO strings, absent values as
 * null, and only the fields `like` has (what the query selects), for specs that call the
 * room's service without the API.
 */
export function asSelected<T>(value: unknown, like: T): T {
  const json = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  const pick = (v: unknown, l: unknown): unknown => {
    if (v === undefined || v === null) return null;
    if (Array.isArray(l) && Array.isArray(v)) return l.length ? v.map((x) => pick(x, l[0])) : v;
    if (l && typeof l === 'object' && !Array.isArray(l) && v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(l).map((k) => [k, pick((v as Record<string, unknown>)[k], (l as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return pick(json, like) as T;
}
