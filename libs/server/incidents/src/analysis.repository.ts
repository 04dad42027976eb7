import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { EventSource, FactorCategory, HypothesisStatus, SafeguardKind, TimelineEventKind } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryReturned, queryRows } from '@hindsight/server-db';

export interface TimelineEventRow {
  id: string;
  incidentId: string;
  occurredAt: Date;
  kind: TimelineEventKind;
  description: string;
  evidenceUrl: string | null;
  source: EventSource;
  authorId: string | null;
}

export interface HypothesisRow {
  id: string;
  incidentId: string;
  statement: string;
  status: HypothesisStatus;
  evidence: string | null;
  decidedAt: Date | null;
  decidedById: string | null;
  createdAt: Date;
}

export interface ContributingFactorRow {
  id: string;
  incidentId: string;
  category: FactorCategory;
  description: string;
  isTrigger: boolean;
  createdAt: Date;
}

export interface FailedSafeguardRow {
  id: string;
  incidentId: string;
  kind: SafeguardKind;
  expectedBehavior: string;
  whyItFailed: string;
  createdAt: Date;
}

const EVENT_COLUMNS = `e.id, e.incident_id AS "incidentId", e.occurred_at AS "occurredAt", e.kind, e.description, e.evidence_url AS "evidenceUrl",
  e.source, e.author_id AS "authorId"`;
const HYPOTHESIS_COLUMNS = `h.id, h.incident_id AS "incidentId", h.statement, h.status, h.evidence, h.decided_at AS "decidedAt",
  h.decided_by AS "decidedById", h.created_at AS "createdAt"`;
const FACTOR_COLUMNS = `f.id, f.incident_id AS "incidentId", f.category, f.description, f.is_trigger AS "isTrigger", f.created_at AS "createdAt"`;
const SAFEGUARD_COLUMNS = `g.id, g.incident_id AS "incidentId", g.kind, g.expected_behavior AS "expectedBehavior", g.why_it_failed AS "whyItFailed",
  g.created_at AS "createdAt"`;

/** The unique partial index that holds "at most one trigger per incident" under races. */
export const ONE_TRIGGER_INDEX = 'contributing_factors_one_trigger';

/** All SQL about an incident's analysis: timeline, hypotheses, contributing factors, failed safeguards. */
@Injectable()
export class AnalysisRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Timelines of several incidents, each in occurredAt order (ties by insertion). */
  timelinesOf(incidentIds: readonly string[], em: EntityManager | DataSource = this.ds): Promise<TimelineEventRow[]> {
    return queryRows(em, `SELECT ${EVENT_COLUMNS} FROM timeline_events e WHERE e.incident_id = ANY($1::uuid[]) ORDER BY e.occurred_at, e.created_at, e.id`, [incidentIds]);
  }

  hypothesesOf(incidentIds: readonly string[]): Promise<HypothesisRow[]> {
    return queryRows(this.ds, `SELECT ${HYPOTHESIS_COLUMNS} FROM hypotheses h WHERE h.incident_id = ANY($1::uuid[]) ORDER BY h.created_at, h.id`, [incidentIds]);
  }

  factorsOf(incidentIds: readonly string[], em: EntityManager | DataSource = this.ds): Promise<ContributingFactorRow[]> {
    return queryRows(
      em,
      `SELECT ${FACTOR_COLUMNS} FROM contributing_factors f WHERE f.incident_id = ANY($1::uuid[]) ORDER BY f.is_trigger DESC, f.created_at, f.id`,
      [incidentIds],
    );
  }

  safeguardsOf(incidentIds: readonly string[], em: EntityManager | DataSource = this.ds): Promise<FailedSafeguardRow[]> {
    return queryRows(em, `SELECT ${SAFEGUARD_COLUMNS} FROM failed_safeguards g WHERE g.incident_id = ANY($1::uuid[]) ORDER BY g.created_at, g.id`, [incidentIds]);
  }

  factorsByIds(ids: readonly string[]): Promise<ContributingFactorRow[]> {
    return queryRows(this.ds, `SELECT ${FACTOR_COLUMNS} FROM contributing_factors f WHERE f.id = ANY($1::uuid[])`, [ids]);
  }

  safeguardsByIds(ids: readonly string[]): Promise<FailedSafeguardRow[]> {
    return queryRows(this.ds, `SELECT ${SAFEGUARD_COLUMNS} FROM failed_safeguards g WHERE g.id = ANY($1::uuid[])`, [ids]);
  }

  async insertTimelineEvent(
    em: EntityManager,
    e: Pick<TimelineEventRow, 'incidentId' | 'occurredAt' | 'kind' | 'description' | 'evidenceUrl' | 'source' | 'authorId'>,
  ): Promise<TimelineEventRow> {
    return queryReturned<TimelineEventRow>(
      em,
      `INSERT INTO timeline_events AS e (incident_id, occurred_at, kind, description, evidence_url, source, author_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${EVENT_COLUMNS}`,
      [e.incidentId, e.occurredAt, e.kind, e.description, e.evidenceUrl, e.source, e.authorId],
      'INSERT INTO timeline_events returned no row',
    );
  }

  async insertHypothesis(em: EntityManager, incidentId: string, statement: string, createdBy: string): Promise<HypothesisRow> {
    return queryReturned<HypothesisRow>(
      em,
      `INSERT INTO hypotheses AS h (incident_id, statement, created_by) VALUES ($1, $2, $3) RETURNING ${HYPOTHESIS_COLUMNS}`,
      [incidentId, statement, createdBy],
      'INSERT INTO hypotheses returned no row',
    );
  }

  hypothesisForUpdate(em: EntityManager, id: string): Promise<HypothesisRow | null> {
    return queryOne(em, `SELECT ${HYPOTHESIS_COLUMNS} FROM hypotheses h WHERE h.id = $1 FOR UPDATE`, [id]);
  }

  async decideHypothesis(em: EntityManager, id: string, status: HypothesisStatus, evidence: string, decidedBy: string): Promise<HypothesisRow> {
    return queryReturned<HypothesisRow>(
      em,
      `UPDATE hypotheses AS h SET status = $2, evidence = $3, decided_at = now(), decided_by = $4 WHERE h.id = $1 RETURNING ${HYPOTHESIS_COLUMNS}`,
      [id, status, evidence, decidedBy],
      `UPDATE hypotheses found no row ${id}`,
    );
  }

  /** Whether another factor of the incident (not `exceptId`) is the trigger. */
  async triggerExists(em: EntityManager, incidentId: string, exceptId: string | null = null): Promise<boolean> {
    const rows = await queryRows(em, `SELECT 1 FROM contributing_factors WHERE incident_id = $1 AND is_trigger AND ($2::uuid IS NULL OR id <> $2)`, [incidentId, exceptId]);
    return rows.length > 0;
  }

  factorForUpdate(em: EntityManager, id: string): Promise<ContributingFactorRow | null> {
    return queryOne(em, `SELECT ${FACTOR_COLUMNS} FROM contributing_factors f WHERE f.id = $1 FOR UPDATE`, [id]);
  }

  async updateFactor(em: EntityManager, id: string, f: Pick<ContributingFactorRow, 'category' | 'description' | 'isTrigger'>): Promise<ContributingFactorRow> {
    return queryReturned<ContributingFactorRow>(
      em,
      `UPDATE contributing_factors AS f SET category = $2, description = $3, is_trigger = $4 WHERE f.id = $1 RETURNING ${FACTOR_COLUMNS}`,
      [id, f.category, f.description, f.isTrigger],
      `UPDATE contributing_factors found no row ${id}`,
    );
  }

  async insertFactor(em: EntityManager, f: Pick<ContributingFactorRow, 'incidentId' | 'category' | 'description' | 'isTrigger'>): Promise<ContributingFactorRow> {
    return queryReturned<ContributingFactorRow>(
      em,
      `INSERT INTO contributing_factors AS f (incident_id, category, description, is_trigger) VALUES ($1, $2, $3, $4) RETURNING ${FACTOR_COLUMNS}`,
      [f.incidentId, f.category, f.description, f.isTrigger],
      'INSERT INTO contributing_factors returned no row',
    );
  }

  timelineEventForUpdate(em: EntityManager, id: string): Promise<TimelineEventRow | null> {
    return queryOne(em, `SELECT ${EVENT_COLUMNS} FROM timeline_events e WHERE e.id = $1 FOR UPDATE`, [id]);
  }

  async updateTimelineEvent(em: EntityManager, id: string, e: Pick<TimelineEventRow, 'occurredAt' | 'kind' | 'description' | 'evidenceUrl'>): Promise<TimelineEventRow> {
    return queryReturned<TimelineEventRow>(
      em,
      `UPDATE timeline_events AS e SET occurred_at = $2, kind = $3, description = $4, evidence_url = $5 WHERE e.id = $1 RETURNING ${EVENT_COLUMNS}`,
      [id, e.occurredAt, e.kind, e.description, e.evidenceUrl],
      `UPDATE timeline_events found no row ${id}`,
    );
  }

  async deleteTimelineEvent(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM timeline_events WHERE id = $1`, [id]);
  }

  async deleteFactor(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM contributing_factors WHERE id = $1`, [id]);
  }

  safeguardForUpdate(em: EntityManager, id: string): Promise<FailedSafeguardRow | null> {
    return queryOne(em, `SELECT ${SAFEGUARD_COLUMNS} FROM failed_safeguards g WHERE g.id = $1 FOR UPDATE`, [id]);
  }

  async updateSafeguard(em: EntityManager, id: string, g: Pick<FailedSafeguardRow, 'kind' | 'expectedBehavior' | 'whyItFailed'>): Promise<FailedSafeguardRow> {
    return queryReturned<FailedSafeguardRow>(
      em,
      `UPDATE failed_safeguards AS g SET kind = $2, expected_behavior = $3, why_it_failed = $4 WHERE g.id = $1 RETURNING ${SAFEGUARD_COLUMNS}`,
      [id, g.kind, g.expectedBehavior, g.whyItFailed],
      `UPDATE failed_safeguards found no row ${id}`,
    );
  }

  async deleteSafeguard(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM failed_safeguards WHERE id = $1`, [id]);
  }

  /** Titles of the action items that address a factor or a safeguard (what deleting it would unlink). */
  async itemsAddressing(em: EntityManager, column: 'addresses_factor_id' | 'addresses_safeguard_id', id: string): Promise<string[]> {
    const rows = await queryRows<{ title: string }>(em, `SELECT title FROM action_items WHERE ${column} = $1 ORDER BY created_at, id`, [id]);
    return rows.map((r) => r.title);
  }

  async insertSafeguard(em: EntityManager, g: Pick<FailedSafeguardRow, 'incidentId' | 'kind' | 'expectedBehavior' | 'whyItFailed'>): Promise<FailedSafeguardRow> {
    return queryReturned<FailedSafeguardRow>(
      em,
      `INSERT INTO failed_safeguards AS g (incident_id, kind, expected_behavior, why_it_failed) VALUES ($1, $2, $3, $4) RETURNING ${SAFEGUARD_COLUMNS}`,
      [g.incidentId, g.kind, g.expectedBehavior, g.whyItFailed],
      'INSERT INTO failed_safeguards returned no row',
    );
  }
}
