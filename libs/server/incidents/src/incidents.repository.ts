import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventSource, formatReference, IncidentKind, IncidentStatus, Severity, SloDimension } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryReturned, queryRows, SqlConditions } from '@hindsight/server-db';

export interface IncidentRow {
  id: string;
  number: number;
  reference: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  summary: string | null;
  impactedDimensions: SloDimension[];
  segments: string[];
  regions: string[];
  commanderId: string | null;
  startedAt: Date;
  detectedAt: Date | null;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  responderHours: number | null;
  slaCredits: number | null;
  impactFraction: number;
  customerImpact: string | null;
  usersAffected: number | null;
  failedRequests: number | null;
  labels: string[];
  kind: IncidentKind;
  noActionReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Everything a create or an update writes to the incidents row. */
export type IncidentWrite = Pick<
  IncidentRow,
  | 'title' | 'severity' | 'status' | 'summary' | 'impactedDimensions' | 'segments' | 'regions' | 'commanderId'
  | 'startedAt' | 'detectedAt' | 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt' | 'responderHours' | 'slaCredits'
  | 'customerImpact' | 'usersAffected' | 'failedRequests' | 'impactFraction' | 'labels' | 'kind'
>;

/** Where an incident came from when not declared by hand: (source, externalKey) is unique. */
export interface IncidentOrigin {
  source: Exclude<EventSource, 'MANUAL'>;
  externalKey: string;
}

/** The unique index on (source, external_key). */
export const EXTERNAL_KEY_INDEX = 'incidents_external_key';

export interface IncidentServiceLink {
  incidentId: string;
  serviceId: string;
  revenuePerMinute: number | null;
}

export interface IncidentListFilter {
  severities?: readonly string[] | null;
  statuses?: readonly string[] | null;
  serviceIds?: readonly string[] | null;
  teamIds?: readonly string[] | null;
  segment?: string | null;
  startedAfter?: Date | null;
  startedBefore?: Date | null;
  search?: string | null;
  /** The INC-<n> the search text spells, if any. */
  searchNumber?: number | null;
}

/** Keyset position: the last row's started_at (full precision, as text) and id. */
export interface IncidentCursor {
  startedAt: string;
  id: string;
}

export interface RepeatCandidateRow {
  subjectId: string;
  id: string;
  startedAt: Date;
  serviceIds: string[];
  factorCategories: string[];
}

type RawIncident = Omit<IncidentRow, 'reference'>;

const COLUMNS = `i.id, i.number, i.title, i.severity, i.status, i.summary, i.impacted_dimensions AS "impactedDimensions", i.segments, i.regions,
  i.commander_id AS "commanderId", i.started_at AS "startedAt", i.detected_at AS "detectedAt", i.acknowledged_at AS "acknowledgedAt",
  i.mitigated_at AS "mitigatedAt", i.resolved_at AS "resolvedAt", i.responder_hours AS "responderHours", i.sla_credits AS "slaCredits",
  i.impact_fraction AS "impactFraction", i.customer_impact AS "customerImpact", i.users_affected::float8 AS "usersAffected",
  i.failed_requests::float8 AS "failedRequests", i.labels, i.kind, i.no_action_reason AS "noActionReason", i.created_at AS "createdAt", i.updated_at AS "updatedAt"`;

const withReference = (r: RawIncident): IncidentRow => ({ ...r, reference: formatReference(r.number) });

function filterConditions(f: IncidentListFilter): SqlConditions {
  const c = new SqlConditions();
  if (f.severities?.length) c.add(`i.severity = ANY(${c.param(f.severities)}::text[])`);
  if (f.statuses?.length) c.add(`i.status = ANY(${c.param(f.statuses)}::text[])`);
  if (f.serviceIds?.length) c.add(`EXISTS (SELECT 1 FROM incident_services x WHERE x.incident_id = i.id AND x.service_id = ANY(${c.param(f.serviceIds)}::uuid[]))`);
  if (f.teamIds?.length) {
    c.add(`EXISTS (SELECT 1 FROM incident_services x JOIN services s ON s.id = x.service_id
                    WHERE x.incident_id = i.id AND s.team_id = ANY(${c.param(f.teamIds)}::uuid[]))`);
  }
  if (f.segment) c.add(`EXISTS (SELECT 1 FROM unnest(i.segments) seg WHERE lower(seg) = lower(${c.param(f.segment)}))`);
  if (f.startedAfter) c.add(`i.started_at >= ${c.param(f.startedAfter)}`);
  if (f.startedBefore) c.add(`i.started_at < ${c.param(f.startedBefore)}`);
  if (f.search) {
    // Each side uses its own GIN index; the union keeps the OR across two tables index-driven.
    const q = `websearch_to_tsquery('english', ${c.param(f.search)})`;
    const byNumber = f.searchNumber ? ` UNION SELECT id FROM incidents WHERE number = ${c.param(f.searchNumber)}` : '';
    c.add(`i.id IN (SELECT id FROM incidents WHERE search_vector @@ ${q}
                    UNION SELECT incident_id FROM postmortems WHERE search_vector @@ ${q}${byNumber})`);
  }
  return c;
}

/** All SQL about incidents, their affected services, the list and its search. */
@Injectable()
export class IncidentsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async incidentsByIds(ids: readonly string[], em: EntityManager | DataSource = this.ds): Promise<IncidentRow[]> {
    const rows = await queryRows<RawIncident>(em, `SELECT ${COLUMNS} FROM incidents i WHERE i.id = ANY($1::uuid[])`, [ids]);
    return rows.map(withReference);
  }

  async incidentByNumber(n: number): Promise<IncidentRow | null> {
    const row = await queryOne<RawIncident>(this.ds, `SELECT ${COLUMNS} FROM incidents i WHERE i.number = $1`, [n]);
    return row && withReference(row);
  }

  /** Locks the incident for the rest of the transaction (serialises edits of one incident). */
  /** The incident an integration or import already created for this key, if any. */
  async incidentByExternalKey(em: EntityManager, origin: IncidentOrigin): Promise<IncidentRow | null> {
    const row = await queryOne<RawIncident>(em, `SELECT ${COLUMNS} FROM incidents i WHERE i.source = $1 AND i.external_key = $2`, [origin.source, origin.externalKey]);
    return row ? withReference(row) : null;
  }

  async incidentForUpdate(em: EntityManager, id: string): Promise<IncidentRow | null> {
    const row = await queryOne<RawIncident>(em, `SELECT ${COLUMNS} FROM incidents i WHERE i.id = $1 FOR UPDATE`, [id]);
    return row && withReference(row);
  }

  async insertIncident(em: EntityManager, w: IncidentWrite, createdBy: string, origin: IncidentOrigin | null = null): Promise<IncidentRow> {
    // number defaults to nextval('incident_number_seq'): concurrent creates never share one.
    return withReference(await queryReturned<RawIncident>(
      em,
      `INSERT INTO incidents AS i (title, severity, status, summary, impacted_dimensions, segments, regions, commander_id,
         started_at, detected_at, acknowledged_at, mitigated_at, resolved_at, responder_hours, sla_credits,
         customer_impact, users_affected, failed_requests, impact_fraction, labels, created_by, source, external_key, kind)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) RETURNING ${COLUMNS}`,
      [w.title, w.severity, w.status, w.summary, w.impactedDimensions, w.segments, w.regions, w.commanderId,
        w.startedAt, w.detectedAt, w.acknowledgedAt, w.mitigatedAt, w.resolvedAt, w.responderHours, w.slaCredits,
        w.customerImpact, w.usersAffected, w.failedRequests, w.impactFraction, w.labels, createdBy,
        origin?.source ?? 'MANUAL', origin?.externalKey ?? null, w.kind],
      'INSERT INTO incidents returned no row',
    ));
  }

  async updateIncident(em: EntityManager, id: string, w: IncidentWrite): Promise<IncidentRow> {
    return withReference(await queryReturned<RawIncident>(
      em,
      `UPDATE incidents AS i SET title = $2, severity = $3, status = $4, summary = $5, impacted_dimensions = $6, segments = $7, regions = $8,
         commander_id = $9, started_at = $10, detected_at = $11, acknowledged_at = $12, mitigated_at = $13, resolved_at = $14,
         responder_hours = $15, sla_credits = $16, customer_impact = $17, users_affected = $18, failed_requests = $19,
         impact_fraction = $20, labels = $21, kind = $22, updated_at = now()
       WHERE i.id = $1 RETURNING ${COLUMNS}`,
      [id, w.title, w.severity, w.status, w.summary, w.impactedDimensions, w.segments, w.regions, w.commanderId,
        w.startedAt, w.detectedAt, w.acknowledgedAt, w.mitigatedAt, w.resolvedAt, w.responderHours, w.slaCredits,
        w.customerImpact, w.usersAffected, w.failedRequests, w.impactFraction, w.labels, w.kind],
      `UPDATE incidents found no row ${id}`,
    ));
  }

  async setNoActionReason(em: EntityManager, id: string, reason: string | null): Promise<void> {
    await em.query(`UPDATE incidents SET no_action_reason = $2, updated_at = now() WHERE id = $1`, [id, reason]);
  }

  /** Replaces the affected services of an incident. */
  async setServices(em: EntityManager, incidentId: string, serviceIds: readonly string[]): Promise<void> {
    await em.query(`DELETE FROM incident_services WHERE incident_id = $1 AND NOT (service_id = ANY($2::uuid[]))`, [incidentId, serviceIds]);
    if (serviceIds.length) {
      await em.query(`INSERT INTO incident_services (incident_id, service_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [incidentId, serviceIds]);
    }
  }

  async serviceIdsOf(em: EntityManager, incidentId: string): Promise<string[]> {
    const rows = await queryRows<{ serviceId: string }>(em, `SELECT service_id AS "serviceId" FROM incident_services WHERE incident_id = $1 ORDER BY service_id`, [incidentId]);
    return rows.map((r) => r.serviceId);
  }

  /** Affected services of each incident with their revenue per minute (Incident.services and cost). */
  serviceLinks(incidentIds: readonly string[]): Promise<IncidentServiceLink[]> {
    return queryRows(
      this.ds,
      `SELECT x.incident_id AS "incidentId", s.id AS "serviceId", s.revenue_per_minute::float8 AS "revenuePerMinute"
         FROM incident_services x JOIN services s ON s.id = x.service_id
        WHERE x.incident_id = ANY($1::uuid[]) ORDER BY lower(s.name), s.id`,
      [incidentIds],
    );
  }

  async existingServiceIds(em: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    const rows = await queryRows<{ id: string }>(em, `SELECT id FROM services WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** Services named (case-insensitively) as an alerting system labels them. */
  async serviceIdsByName(em: EntityManager, names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await queryRows<{ id: string }>(em, `SELECT id FROM services WHERE lower(name) = ANY($1::text[]) ORDER BY lower(name)`, [names.map((n) => n.toLowerCase())]);
    return rows.map((r) => r.id);
  }

  async activeUserIds(em: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    const rows = await queryRows<{ id: string }>(em, `SELECT id FROM users WHERE id = ANY($1::uuid[]) AND active`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** One page in the stable order started_at DESC, id DESC; fetches one extra row to know if more follow. */
  async list(filter: IncidentListFilter, limit: number, after: IncidentCursor | null): Promise<(IncidentRow & { cursorAt: string })[]> {
    const c = filterConditions(filter);
    if (after) c.add(`(i.started_at, i.id) < (${c.param(after.startedAt)}::timestamptz, ${c.param(after.id)}::uuid)`);
    const rows = await queryRows<RawIncident & { cursorAt: string }>(
      this.ds,
      `SELECT ${COLUMNS}, i.started_at::text AS "cursorAt" FROM incidents i ${c.where}
        ORDER BY i.started_at DESC, i.id DESC LIMIT ${c.param(limit)}`,
      c.params,
    );
    return rows.map((r) => ({ ...withReference(r), cursorAt: r.cursorAt }));
  }

  async count(filter: IncidentListFilter): Promise<number> {
    const c = filterConditions(filter);
    const row = await queryOne<{ n: number }>(this.ds, `SELECT count(*)::int AS n FROM incidents i ${c.where}`, c.params);
    return row?.n ?? 0;
  }

  /**
   * For each subject incident, itself and every incident that shares one of its services and
   * started within `windowHours` before it, each with its services and factor categories.
   * The domain's isRepeat decides; this only narrows the candidates with the indexes.
   */
  repeatCandidates(incidentIds: readonly string[], windowHours: number): Promise<RepeatCandidateRow[]> {
    return queryRows(
      this.ds,
      `SELECT s.id AS "subjectId", c.id, c.started_at AS "startedAt",
              ARRAY(SELECT service_id::text FROM incident_services WHERE incident_id = c.id) AS "serviceIds",
              ARRAY(SELECT DISTINCT category FROM contributing_factors WHERE incident_id = c.id) AS "factorCategories"
         FROM incidents s
         CROSS JOIN LATERAL (
           SELECT s.id, s.started_at
           UNION
           SELECT p.id, p.started_at
             FROM incident_services mine
             JOIN incident_services other ON other.service_id = mine.service_id AND other.incident_id <> s.id
             JOIN incidents p ON p.id = other.incident_id
            WHERE mine.incident_id = s.id
              AND p.started_at < s.started_at AND p.started_at >= s.started_at - make_interval(hours => $2)
         ) c
        WHERE s.id = ANY($1::uuid[])`,
      [incidentIds, windowHours],
    );
  }
}
