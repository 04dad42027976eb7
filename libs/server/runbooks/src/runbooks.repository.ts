import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RunbookContent, RunbookVerdict } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryReturned, queryRows } from '@hindsight/server-db';
import type { CoveragePair, FeedbackFact, StaleFact } from '@hindsight/domain';

export interface RunbookRow {
  id: string;
  serviceId: string;
  /** The owning team: the service's. */
  teamId: string;
  title: string;
  detection: string | null;
  mitigation: string | null;
  verification: string | null;
  escalation: string | null;
  rollback: string | null;
  pitfalls: string | null;
  version: number;
  reviewIntervalDays: number;
  lastReviewedAt: Date | null;
  reviewDueAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export type RunbookRevisionRow = RunbookContent & { runbookId: string; version: number; editedById: string; editedAt: Date; note: string | null };

export interface RunbookFeedbackRow {
  id: string;
  runbookId: string;
  incidentId: string;
  verdict: RunbookVerdict;
  note: string | null;
  authorId: string;
  createdAt: Date;
}

/** A runbook's writable content and review settings. */
export type RunbookWrite = RunbookContent & { reviewIntervalDays: number; reviewDueAt: Date };

const SECTIONS = `title, detection, mitigation, verification, escalation, rollback, pitfalls`;
const COLUMNS = `r.id, r.service_id AS "serviceId", s.team_id AS "teamId", r.title, r.detection, r.mitigation, r.verification, r.escalation, r.rollback, r.pitfalls,
  r.version, r.review_interval_days AS "reviewIntervalDays", r.last_reviewed_at AS "lastReviewedAt", r.review_due_at AS "reviewDueAt",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;
const REVISION_COLUMNS = `v.runbook_id AS "runbookId", v.version, v.title, v.detection, v.mitigation, v.verification, v.escalation, v.rollback, v.pitfalls,
  v.edited_by AS "editedById", v.edited_at AS "editedAt", v.note`;
const FEEDBACK_COLUMNS = `f.id, f.runbook_id AS "runbookId", f.incident_id AS "incidentId", f.verdict, f.note, f.author_id AS "authorId", f.created_at AS "createdAt"`;

/** All SQL about runbooks, their revisions and the feedback on them. */
@Injectable()
export class RunbooksRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  byIds(ids: readonly string[]): Promise<RunbookRow[]> {
    return queryRows(this.ds, `SELECT ${COLUMNS} FROM runbooks r JOIN services s ON s.id = r.service_id WHERE r.id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * runbooks(serviceId, stale, search): by service name, then title; stale ones through
   * runbooks_review_due_idx; a search (web-search syntax) through runbooks_search_idx, best
   * match first.
   */
  list(serviceId: string | null, staleAt: Date | null, search: string | null): Promise<RunbookRow[]> {
    const q = `websearch_to_tsquery('english', $3)`;
    return queryRows(
      this.ds,
      `SELECT ${COLUMNS} FROM runbooks r JOIN services s ON s.id = r.service_id
        WHERE ($1::uuid IS NULL OR r.service_id = $1::uuid) AND ($2::timestamptz IS NULL OR r.review_due_at <= $2::timestamptz)
          AND ($3::text IS NULL OR r.search_vector @@ ${q})
        ORDER BY CASE WHEN $3::text IS NULL THEN 0 ELSE ts_rank(r.search_vector, ${q}) END DESC, lower(s.name), lower(r.title), r.id`,
      [serviceId, staleAt, search],
    );
  }

  ofServices(serviceIds: readonly string[]): Promise<RunbookRow[]> {
    return queryRows(this.ds, `SELECT ${COLUMNS} FROM runbooks r JOIN services s ON s.id = r.service_id WHERE r.service_id = ANY($1::uuid[]) ORDER BY lower(r.title), r.id`, [serviceIds]);
  }

  /** The runbooks of each incident's affected services, as Incident.runbooks shows them. */
  ofIncidents(incidentIds: readonly string[]): Promise<(RunbookRow & { incidentId: string })[]> {
    return queryRows(
      this.ds,
      `SELECT x.incident_id AS "incidentId", ${COLUMNS}
         FROM incident_services x JOIN services s ON s.id = x.service_id JOIN runbooks r ON r.service_id = s.id
        WHERE x.incident_id = ANY($1::uuid[])
        ORDER BY lower(s.name), lower(r.title), r.id`,
      [incidentIds],
    );
  }

  forUpdate(em: EntityManager, id: string): Promise<RunbookRow | null> {
    return queryOne(em, `SELECT ${COLUMNS} FROM runbooks r JOIN services s ON s.id = r.service_id WHERE r.id = $1 FOR UPDATE OF r`, [id]);
  }

  service(em: EntityManager, id: string): Promise<{ id: string; teamId: string; name: string } | null> {
    return queryOne(em, `SELECT id, team_id AS "teamId", name FROM services WHERE id = $1`, [id]);
  }

  async serviceName(id: string): Promise<string | null> {
    return (await queryOne<{ name: string }>(this.ds, `SELECT name FROM services WHERE id = $1`, [id]))?.name ?? null;
  }

  async serviceHasRunbooks(em: EntityManager, serviceId: string): Promise<boolean> {
    return (await queryOne(em, `SELECT 1 FROM runbooks WHERE service_id = $1 LIMIT 1`, [serviceId])) !== null;
  }

  async incidentExists(em: EntityManager, id: string): Promise<boolean> {
    return (await queryOne(em, `SELECT 1 FROM incidents WHERE id = $1`, [id])) !== null;
  }

  async insert(em: EntityManager, serviceId: string, createdBy: string, w: RunbookWrite, now: Date): Promise<string> {
    return (await queryReturned<{ id: string }>(
      em,
      `INSERT INTO runbooks (service_id, ${SECTIONS}, review_interval_days, review_due_at, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
      [serviceId, w.title, w.detection, w.mitigation, w.verification, w.escalation, w.rollback, w.pitfalls, w.reviewIntervalDays, w.reviewDueAt, createdBy, now],
      'INSERT INTO runbooks returned no row',
    )).id;
  }

  /** Writes the content if the stored version is still `expectedVersion`, bumping it; false when it moved on. */
  async update(em: EntityManager, id: string, expectedVersion: number, w: RunbookWrite, now: Date): Promise<boolean> {
    const rows = await queryRows(
      em,
      `UPDATE runbooks SET title = $3, detection = $4, mitigation = $5, verification = $6, escalation = $7, rollback = $8, pitfalls = $9,
              review_interval_days = $10, review_due_at = $11, version = version + 1, updated_at = $12
        WHERE id = $1 AND version = $2 RETURNING id`,
      [id, expectedVersion, w.title, w.detection, w.mitigation, w.verification, w.escalation, w.rollback, w.pitfalls, w.reviewIntervalDays, w.reviewDueAt, now],
    );
    return rows.length === 1;
  }

  async markReviewed(em: EntityManager, id: string, by: string, at: Date, reviewDueAt: Date): Promise<void> {
    await em.query(`UPDATE runbooks SET last_reviewed_at = $2, last_reviewed_by = $3, review_due_at = $4 WHERE id = $1`, [id, at, by, reviewDueAt]);
  }

  async insertRevision(em: EntityManager, runbookId: string, version: number, c: RunbookContent, editedBy: string, at: Date, note: string | null): Promise<void> {
    await em.query(
      `INSERT INTO runbook_revisions (runbook_id, version, ${SECTIONS}, edited_by, edited_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [runbookId, version, c.title, c.detection, c.mitigation, c.verification, c.escalation, c.rollback, c.pitfalls, editedBy, at, note],
    );
  }

  /** Runbook.revisions: newest first. */
  revisionsOf(runbookIds: readonly string[]): Promise<RunbookRevisionRow[]> {
    return queryRows(this.ds, `SELECT ${REVISION_COLUMNS} FROM runbook_revisions v WHERE v.runbook_id = ANY($1::uuid[]) ORDER BY v.version DESC`, [runbookIds]);
  }

  revisions(runbookId: string, versions: readonly number[]): Promise<RunbookRevisionRow[]> {
    return queryRows(this.ds, `SELECT ${REVISION_COLUMNS} FROM runbook_revisions v WHERE v.runbook_id = $1 AND v.version = ANY($2::int[])`, [runbookId, versions]);
  }

  async insertFeedback(em: EntityManager, f: { runbookId: string; incidentId: string; verdict: RunbookVerdict; note: string | null; authorId: string }): Promise<RunbookFeedbackRow> {
    return queryReturned<RunbookFeedbackRow>(
      em,
      `INSERT INTO runbook_feedback AS f (runbook_id, incident_id, verdict, note, author_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${FEEDBACK_COLUMNS}`,
      [f.runbookId, f.incidentId, f.verdict, f.note, f.authorId],
      'INSERT INTO runbook_feedback returned no row',
    );
  }

  /** An incident's feedback as the postmortem export writes it, oldest first. */
  feedbackForExport(incidentId: string): Promise<{ runbook: string; service: string; verdict: string; note: string | null }[]> {
    return queryRows(
      this.ds,
      `SELECT r.title AS runbook, s.name AS service, f.verdict, f.note
         FROM runbook_feedback f JOIN runbooks r ON r.id = f.runbook_id JOIN services s ON s.id = r.service_id
        WHERE f.incident_id = $1 ORDER BY f.created_at, f.id`,
      [incidentId],
    );
  }

  /** Runbook.feedback: newest first. */
  feedbackOfRunbooks(runbookIds: readonly string[]): Promise<RunbookFeedbackRow[]> {
    return queryRows(this.ds, `SELECT ${FEEDBACK_COLUMNS} FROM runbook_feedback f WHERE f.runbook_id = ANY($1::uuid[]) ORDER BY f.created_at DESC, f.id`, [runbookIds]);
  }

  /** Incident.runbookFeedback: oldest first, as the incident page's panel lists it. */
  feedbackOfIncidents(incidentIds: readonly string[]): Promise<RunbookFeedbackRow[]> {
    return queryRows(this.ds, `SELECT ${FEEDBACK_COLUMNS} FROM runbook_feedback f WHERE f.incident_id = ANY($1::uuid[]) ORDER BY f.created_at, f.id`, [incidentIds]);
  }

  /**
   * The report's runbook inputs in one round trip: each (incident in scope, affected service)
   * with whether the service had a runbook when the incident started; the feedback recorded
   * on those incidents; the runbooks stale at `now` (of the filter's team or service).
   * Incidents are selected through incident_facts with the report's own conditions.
   */
  async reportFacts(
    scope: { from: Date; to: Date; teamId?: string | null; serviceId?: string | null; severities?: readonly string[] | null; segment?: string | null },
    now: Date,
  ): Promise<{ pairs: CoveragePair[]; feedback: FeedbackFact[]; stale: StaleFact[] }> {
    const row = await queryOne<{ pairs: CoveragePair[] | null; feedback: FeedbackFact[] | null; stale: StaleFact[] | null }>(
      this.ds,
      `WITH cov AS MATERIALIZED (
         SELECT f.incident_id, f.started_at FROM incident_facts f
          WHERE f.started_at >= $1 AND f.started_at < $2
            AND ($3::uuid IS NULL OR f.team_ids @> ARRAY[$3::uuid]) AND ($4::uuid IS NULL OR f.service_ids @> ARRAY[$4::uuid])
            AND ($5::text[] IS NULL OR f.severity = ANY($5::text[])) AND ($6::text IS NULL OR f.segment_keys @> ARRAY[lower(btrim($6::text))])
       )
       SELECT
         (SELECT json_agg(json_build_object('incidentId', c.incident_id, 'serviceId', s.id, 'teamId', s.team_id,
                 'hadRunbook', EXISTS (SELECT 1 FROM runbooks r WHERE r.service_id = s.id AND r.created_at <= c.started_at)))
            FROM cov c JOIN incident_services x ON x.incident_id = c.incident_id JOIN services s ON s.id = x.service_id) AS pairs,
         (SELECT json_agg(json_build_object('verdict', fb.verdict, 'serviceId', s.id, 'teamId', s.team_id))
            FROM cov c JOIN runbook_feedback fb ON fb.incident_id = c.incident_id JOIN runbooks r ON r.id = fb.runbook_id JOIN services s ON s.id = r.service_id) AS feedback,
         (SELECT json_agg(json_build_object('serviceId', s.id, 'teamId', s.team_id))
            FROM runbooks r JOIN services s ON s.id = r.service_id
           WHERE r.review_due_at <= $7 AND ($3::uuid IS NULL OR s.team_id = $3::uuid) AND ($4::uuid IS NULL OR s.id = $4::uuid)) AS stale`,
      [scope.from, scope.to, scope.teamId ?? null, scope.serviceId ?? null, scope.severities?.length ? scope.severities : null, scope.segment ?? null, now],
    );
    return { pairs: row?.pairs ?? [], feedback: row?.feedback ?? [], stale: row?.stale ?? [] };
  }

  /** Action items that address each runbook (open ones first, then by due date). */
  itemIdsOfRunbooks(runbookIds: readonly string[]): Promise<{ id: string; runbookId: string }[]> {
    return queryRows(
      this.ds,
      `SELECT a.id, a.addresses_runbook_id AS "runbookId" FROM action_items a WHERE a.addresses_runbook_id = ANY($1::uuid[])
        ORDER BY (a.status IN ('DONE', 'WONT_DO')), a.due_at, a.id`,
      [runbookIds],
    );
  }
}
