import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ChangeRole, ChangeSignal, ChangeSource, ChangeSourceKind } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryReturned, queryRows } from '@hindsight/server-db';

/** A stored change: the signal as its sender described it, with the service it was matched to. */
export interface ChangeRow extends ChangeSignal {
  id: string;
  serviceId: string | null;
  receivedAt: Date;
}

export interface IncidentChangeRow extends ChangeRow {
  incidentId: string;
  /** null: in the window, not linked. */
  role: ChangeRole | null;
}

export interface LinkRow {
  incidentId: string;
  changeId: string;
  role: ChangeRole;
  timelineEventId: string | null;
}

export interface ChangeSourceRow {
  id: string;
  name: string;
  kind: ChangeSourceKind;
  secretEnc: string;
  createdAt: Date;
  lastReceivedAt: Date | null;
}

export interface ChangeListQuery {
  serviceId: string | null;
  unmatched: boolean;
  from: Date | null;
  to: Date | null;
  /** The last row of the previous page. */
  after: { finishedAt: Date; id: string } | null;
  limit: number;
}

const COLUMNS = `c.id, c.source, c.source_key AS "sourceKey", c.service_id AS "serviceId", c.service_name AS "serviceName", c.environment, c.production,
  c.version, c.url, c.status, c.started_at AS "startedAt", c.finished_at AS "finishedAt", c.received_at AS "receivedAt"`;
const SOURCE_COLUMNS = `s.id, s.name, s.kind, s.secret_enc AS "secretEnc", s.created_at AS "createdAt", s.last_received_at AS "lastReceivedAt"`;

/**
 * Which service each of the names in $1 means, ignoring case (`lower()`, as the services'
 * unique name index compares): a service of that name first, else the service that has it
 * as an alias. Names and aliases are unique, so each name means one service at most.
 */
const NAME_RESOLUTION = `
  SELECT DISTINCT ON (key) key, service_id FROM (
    SELECT lower(s.name) AS key, s.id AS service_id, 0 AS rank FROM services s WHERE lower(s.name) IN (SELECT lower(n) FROM unnest($1::text[]) n)
    UNION ALL SELECT a.alias_key, a.service_id, 1 FROM service_aliases a WHERE a.alias_key IN (SELECT lower(n) FROM unnest($1::text[]) n)
  ) x ORDER BY key, rank`;

/** All SQL about changes, the aliases they are matched by, their sources, and their links to incidents. */
@Injectable()
export class ChangesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  // --- changes -------------------------------------------------------------------------------

  byIds(ids: readonly string[], em: EntityManager | DataSource = this.ds): Promise<ChangeRow[]> {
    return queryRows(em, `SELECT ${COLUMNS} FROM changes c WHERE c.id = ANY($1::uuid[])`, [ids]);
  }

  bySourceKeyForUpdate(em: EntityManager, source: ChangeSource, sourceKey: string): Promise<ChangeRow | null> {
    return queryOne(em, `SELECT ${COLUMNS} FROM changes c WHERE c.source = $1 AND c.source_key = $2 FOR UPDATE`, [source, sourceKey]);
  }

  async serviceIdForName(em: EntityManager, name: string): Promise<string | null> {
    const row = await queryOne<{ serviceId: string }>(em, `SELECT service_id AS "serviceId" FROM (${NAME_RESOLUTION}) m`, [[name]]);
    return row?.serviceId ?? null;
  }

  /** Null when another delivery of the same change inserted it first (the caller then reads that row). */
  insert(em: EntityManager, c: ChangeSignal, serviceId: string | null): Promise<ChangeRow | null> {
    return queryOne(
      em,
      `INSERT INTO changes AS c (source, source_key, service_id, service_name, environment, production, version, url, status, started_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT ON CONSTRAINT changes_source_key DO NOTHING
       RETURNING ${COLUMNS}`,
      [c.source, c.sourceKey, serviceId, c.serviceName, c.environment, c.production, c.version, c.url, c.status, c.startedAt, c.finishedAt],
    );
  }

  /** A later report of the same change (a re-run): how it ended and when; its service stays as matched. */
  async updateReport(em: EntityManager, id: string, c: ChangeSignal): Promise<ChangeRow> {
    return queryReturned<ChangeRow>(
      em,
      `UPDATE changes AS c SET status = $2, finished_at = $3, started_at = coalesce($4, c.started_at), version = coalesce($5, c.version), url = coalesce($6, c.url),
              environment = $7, production = $8, updated_at = now()
        WHERE c.id = $1 RETURNING ${COLUMNS}`,
      [id, c.status, c.finishedAt, c.startedAt, c.version, c.url, c.environment, c.production],
      `UPDATE changes: no change ${id}`,
    );
  }

  /** changes(serviceId, from, to, unmatched): newest first, through changes_service_finished_idx or changes_finished_idx. */
  list(q: ChangeListQuery): Promise<ChangeRow[]> {
    return queryRows(
      this.ds,
      `SELECT ${COLUMNS} FROM changes c
        WHERE ($1::uuid IS NULL OR c.service_id = $1::uuid) AND (NOT $2::boolean OR c.service_id IS NULL)
          AND ($3::timestamptz IS NULL OR c.finished_at >= $3::timestamptz) AND ($4::timestamptz IS NULL OR c.finished_at < $4::timestamptz)
          AND ($5::timestamptz IS NULL OR (c.finished_at, c.id) < ($5::timestamptz, $6::uuid))
        ORDER BY c.finished_at DESC, c.id DESC LIMIT $7`,
      [q.serviceId, q.unmatched, q.from, q.to, q.after?.finishedAt ?? null, q.after?.id ?? null, q.limit],
    );
  }

  // --- on incidents -----------------------------------------------------------------------------

  windowsOf(incidentIds: readonly string[]): Promise<{ incidentId: string; minutes: number }[]> {
    return queryRows(this.ds, `SELECT incident_id AS "incidentId", minutes FROM incident_change_windows WHERE incident_id = ANY($1::uuid[])`, [incidentIds]);
  }

  /**
   * For each incident, the production changes to its affected services that finished in its
   * window (the newest `limit`), and every change linked to it wherever it falls, each with
   * its role. One statement for any number of incidents.
   */
  beforeDetection(windows: readonly { incidentId: string; from: Date; to: Date }[], limit: number): Promise<IncidentChangeRow[]> {
    return queryRows(
      this.ds,
      `WITH q AS (SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS q(incident_id, from_at, to_at))
       SELECT q.incident_id AS "incidentId", l.role, ${COLUMNS}
         FROM q
         CROSS JOIN LATERAL (
           SELECT c.* FROM changes c
            WHERE c.production AND c.finished_at BETWEEN q.from_at AND q.to_at
              AND c.service_id IN (SELECT x.service_id FROM incident_services x WHERE x.incident_id = q.incident_id)
            ORDER BY c.finished_at DESC, c.id DESC LIMIT $4
         ) c
         LEFT JOIN incident_changes l ON l.incident_id = q.incident_id AND l.change_id = c.id
       UNION
       SELECT l.incident_id, l.role, ${COLUMNS}
         FROM incident_changes l JOIN changes c ON c.id = l.change_id
        WHERE l.incident_id = ANY($1::uuid[])
       ORDER BY "incidentId", "finishedAt" DESC, id DESC`,
      [windows.map((w) => w.incidentId), windows.map((w) => w.from), windows.map((w) => w.to), limit],
    );
  }

  /** Serialises link changes on one incident; null when there is no such incident. */
  lockIncident(em: EntityManager, id: string): Promise<{ id: string } | null> {
    return queryOne(em, `SELECT id FROM incidents WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  }

  linksOf(em: EntityManager, incidentId: string): Promise<LinkRow[]> {
    return queryRows(
      em,
      `SELECT incident_id AS "incidentId", change_id AS "changeId", role, timeline_event_id AS "timelineEventId" FROM incident_changes WHERE incident_id = $1`,
      [incidentId],
    );
  }

  async insertLink(em: EntityManager, l: LinkRow, linkedBy: string): Promise<void> {
    await em.query(`INSERT INTO incident_changes (incident_id, change_id, role, timeline_event_id, linked_by) VALUES ($1, $2, $3, $4, $5)`, [
      l.incidentId, l.changeId, l.role, l.timelineEventId, linkedBy,
    ]);
  }

  async updateLink(em: EntityManager, l: LinkRow, linkedBy: string): Promise<void> {
    await em.query(`UPDATE incident_changes SET role = $3, timeline_event_id = $4, linked_by = $5, linked_at = now() WHERE incident_id = $1 AND change_id = $2`, [
      l.incidentId, l.changeId, l.role, l.timelineEventId, linkedBy,
    ]);
  }

  async deleteLink(em: EntityManager, incidentId: string, changeId: string): Promise<void> {
    await em.query(`DELETE FROM incident_changes WHERE incident_id = $1 AND change_id = $2`, [incidentId, changeId]);
  }

  async windowOf(em: EntityManager, incidentId: string): Promise<number | null> {
    return (await queryOne<{ minutes: number }>(em, `SELECT minutes FROM incident_change_windows WHERE incident_id = $1`, [incidentId]))?.minutes ?? null;
  }

  async setWindow(em: EntityManager, incidentId: string, minutes: number | null): Promise<void> {
    if (minutes === null) await em.query(`DELETE FROM incident_change_windows WHERE incident_id = $1`, [incidentId]);
    else {
      await em.query(
        `INSERT INTO incident_change_windows (incident_id, minutes) VALUES ($1, $2) ON CONFLICT (incident_id) DO UPDATE SET minutes = EXCLUDED.minutes, updated_at = now()`,
        [incidentId, minutes],
      );
    }
  }

  // --- aliases ----------------------------------------------------------------------------------

  aliasesOf(serviceIds: readonly string[], em: EntityManager | DataSource = this.ds): Promise<{ serviceId: string; alias: string }[]> {
    return queryRows(em, `SELECT service_id AS "serviceId", alias FROM service_aliases WHERE service_id = ANY($1::uuid[]) ORDER BY lower(alias)`, [serviceIds]);
  }

  lockService(em: EntityManager, id: string): Promise<{ id: string; name: string } | null> {
    return queryOne(em, `SELECT id, name FROM services WHERE id = $1 FOR UPDATE`, [id]);
  }

  /** Which of `names` (ignoring case) is the name of a service, and of which. */
  servicesNamed(em: EntityManager, names: readonly string[]): Promise<{ name: string; serviceId: string; serviceName: string }[]> {
    return queryRows(em, `SELECT n AS name, s.id AS "serviceId", s.name AS "serviceName" FROM unnest($1::text[]) n JOIN services s ON lower(s.name) = lower(n)`, [names]);
  }

  /** Which of `names` (ignoring case) is an alias now, and of which service. */
  aliasOwners(em: EntityManager, names: readonly string[]): Promise<{ name: string; key: string; serviceId: string; serviceName: string }[]> {
    return queryRows(
      em,
      `SELECT n AS name, a.alias_key AS key, a.service_id AS "serviceId", s.name AS "serviceName"
         FROM unnest($1::text[]) n JOIN service_aliases a ON a.alias_key = lower(n) JOIN services s ON s.id = a.service_id`,
      [names],
    );
  }

  async replaceAliases(em: EntityManager, serviceId: string, aliases: readonly string[]): Promise<void> {
    await em.query(`DELETE FROM service_aliases WHERE service_id = $1`, [serviceId]);
    if (aliases.length === 0) return;
    await em.query(`INSERT INTO service_aliases (alias_key, alias, service_id) SELECT lower(a), a, $1 FROM unnest($2::text[]) AS a`, [serviceId, aliases]);
  }

  async deleteAlias(em: EntityManager, key: string): Promise<void> {
    await em.query(`DELETE FROM service_aliases WHERE alias_key = $1`, [key]);
  }

  /** Names that no longer mean this service: their changes become unmatched (then matched anew). */
  async unmatch(em: EntityManager, serviceId: string, names: readonly string[]): Promise<number> {
    if (names.length === 0) return 0;
    const row = await queryOne<{ n: number }>(
      em,
      `WITH u AS (UPDATE changes SET service_id = NULL, updated_at = now()
                   WHERE service_id = $1 AND lower(service_name) IN (SELECT lower(n) FROM unnest($2::text[]) n) RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [serviceId, names],
    );
    return row?.n ?? 0;
  }

  /** Unmatched changes whose name a service or an alias now has take that service (changes_unmatched_idx). */
  async matchUnmatched(em: EntityManager, names: readonly string[]): Promise<number> {
    if (names.length === 0) return 0;
    const row = await queryOne<{ n: number }>(
      em,
      `WITH m AS (${NAME_RESOLUTION}),
            u AS (UPDATE changes c SET service_id = m.service_id, updated_at = now() FROM m WHERE c.service_id IS NULL AND lower(c.service_name) = m.key RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [names],
    );
    return row?.n ?? 0;
  }

  // --- change sources ---------------------------------------------------------------------------

  sources(): Promise<ChangeSourceRow[]> {
    return queryRows(this.ds, `SELECT ${SOURCE_COLUMNS} FROM change_sources s ORDER BY lower(s.name), s.id`);
  }

  source(id: string, em: EntityManager | DataSource = this.ds): Promise<ChangeSourceRow | null> {
    return queryOne(em, `SELECT ${SOURCE_COLUMNS} FROM change_sources s WHERE s.id = $1`, [id]);
  }

  async insertSource(em: EntityManager, name: string, kind: ChangeSourceKind, secretEnc: string, createdBy: string): Promise<ChangeSourceRow> {
    return queryReturned<ChangeSourceRow>(
      em,
      `INSERT INTO change_sources AS s (name, kind, secret_enc, created_by) VALUES ($1, $2, $3, $4) RETURNING ${SOURCE_COLUMNS}`,
      [name, kind, secretEnc, createdBy],
      'INSERT INTO change_sources returned no row',
    );
  }

  setSourceSecret(em: EntityManager, id: string, secretEnc: string): Promise<ChangeSourceRow | null> {
    return queryOne(em, `UPDATE change_sources AS s SET secret_enc = $2 WHERE s.id = $1 RETURNING ${SOURCE_COLUMNS}`, [id, secretEnc]);
  }

  deleteSource(em: EntityManager, id: string): Promise<ChangeSourceRow | null> {
    return queryOne(em, `DELETE FROM change_sources AS s WHERE s.id = $1 RETURNING ${SOURCE_COLUMNS}`, [id]);
  }

  async touchSource(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(`UPDATE change_sources SET last_received_at = $2 WHERE id = $1`, [id, at]);
  }

  allSourceSecrets(em: EntityManager): Promise<{ id: string; secretEnc: string }[]> {
    return queryRows(em, `SELECT id, secret_enc AS "secretEnc" FROM change_sources ORDER BY id FOR UPDATE`);
  }
}
