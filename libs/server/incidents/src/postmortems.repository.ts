import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PostmortemStatus, PostmortemTexts, ReviewVerdict } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryReturned, queryRows } from '@hindsight/server-db';

/** Its noActionReason is stored on the incident (a decision about the incident's follow-up), shown with the postmortem. */
export interface PostmortemRow extends PostmortemTexts {
  id: string;
  incidentId: string;
  status: PostmortemStatus;
  dueAt: Date | null;
  version: number;
  publishedAt: Date | null;
  publishedById: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReviewRow {
  postmortemId: string;
  reviewerId: string;
  verdict: ReviewVerdict;
  comment: string | null;
  requestedAt: Date;
  decidedAt: Date | null;
}

/** The sections as a revision stores them. */
export interface RevisionRow extends PostmortemTexts {
  postmortemId: string;
  version: number;
  authorId: string | null;
  createdAt: Date;
}

const COLUMNS = `p.id, p.incident_id AS "incidentId", p.status, p.summary, p.impact, p.triggering_cause AS "triggeringCause",
  p.what_went_well AS "whatWentWell", p.what_went_poorly AS "whatWentPoorly", p.where_we_got_lucky AS "whereWeGotLucky", p.lessons,
  (SELECT no_action_reason FROM incidents WHERE id = p.incident_id) AS "noActionReason",
  p.due_at AS "dueAt", p.version, p.published_at AS "publishedAt", p.published_by AS "publishedById", p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
const REVIEW_COLUMNS = `r.postmortem_id AS "postmortemId", r.reviewer_id AS "reviewerId", r.verdict, r.comment, r.requested_at AS "requestedAt", r.decided_at AS "decidedAt"`;

/** All SQL about postmortems, their revisions and reviews. */
@Injectable()
export class PostmortemsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  postmortemsOfIncidents(incidentIds: readonly string[]): Promise<PostmortemRow[]> {
    return queryRows(this.ds, `SELECT ${COLUMNS} FROM postmortems p WHERE p.incident_id = ANY($1::uuid[])`, [incidentIds]);
  }

  postmortemOfIncident(em: EntityManager | DataSource, incidentId: string): Promise<PostmortemRow | null> {
    return queryOne(em, `SELECT ${COLUMNS} FROM postmortems p WHERE p.incident_id = $1`, [incidentId]);
  }

  /** Locks the postmortem so that review, publish and due-date changes serialise. */
  postmortemForUpdate(em: EntityManager, incidentId: string): Promise<PostmortemRow | null> {
    return queryOne(em, `SELECT ${COLUMNS} FROM postmortems p WHERE p.incident_id = $1 FOR UPDATE OF p`, [incidentId]);
  }

  async insert(em: EntityManager, incidentId: string, dueAt: Date | null): Promise<PostmortemRow> {
    return queryReturned<PostmortemRow>(em, `INSERT INTO postmortems AS p (incident_id, due_at) VALUES ($1, $2) RETURNING ${COLUMNS}`, [incidentId, dueAt], 'INSERT INTO postmortems returned no row');
  }

  async setDueAt(em: EntityManager, id: string, dueAt: Date | null): Promise<void> {
    await em.query(`UPDATE postmortems SET due_at = $2, updated_at = now() WHERE id = $1`, [id, dueAt]);
  }

  /**
   * Writes the sections if the stored version is still `expectedVersion`, bumping it; null
   * when another edit got there first. The check and the write are one statement, so two
   * concurrent editors cannot both succeed from the same version.
   */
  updateSections(em: EntityManager, incidentId: string, expectedVersion: number, c: PostmortemTexts): Promise<PostmortemRow | null> {
    return queryOne(
      em,
      `UPDATE postmortems AS p SET summary = $3, impact = $4, triggering_cause = $5, what_went_well = $6, what_went_poorly = $7,
         where_we_got_lucky = $8, lessons = $9, version = p.version + 1, updated_at = now()
        WHERE p.incident_id = $1 AND p.version = $2 RETURNING ${COLUMNS}`,
      [incidentId, expectedVersion, c.summary, c.impact, c.triggeringCause, c.whatWentWell, c.whatWentPoorly, c.whereWeGotLucky, c.lessons],
    );
  }

  async insertRevision(em: EntityManager, postmortemId: string, version: number, content: PostmortemTexts, authorId: string): Promise<void> {
    await em.query(`INSERT INTO postmortem_revisions (postmortem_id, version, content, author_id) VALUES ($1, $2, $3, $4)`, [
      postmortemId, version, JSON.stringify(content), authorId,
    ]);
  }

  async revisionsOf(postmortemIds: readonly string[]): Promise<RevisionRow[]> {
    const rows = await queryRows<{ postmortemId: string; version: number; authorId: string | null; createdAt: Date; content: PostmortemTexts }>(
      this.ds,
      `SELECT postmortem_id AS "postmortemId", version, author_id AS "authorId", created_at AS "createdAt", content
         FROM postmortem_revisions WHERE postmortem_id = ANY($1::uuid[]) ORDER BY version`,
      [postmortemIds],
    );
    return rows.map(({ content, ...meta }) => ({ ...content, ...meta }));
  }

  reviewsOf(postmortemIds: readonly string[], em: EntityManager | DataSource = this.ds): Promise<ReviewRow[]> {
    return queryRows(em, `SELECT ${REVIEW_COLUMNS} FROM postmortem_reviews r WHERE r.postmortem_id = ANY($1::uuid[]) ORDER BY r.requested_at, r.reviewer_id`, [postmortemIds]);
  }

  /** Adds the reviewers, or asks them again: their verdict goes back to PENDING. */
  async requestReviews(em: EntityManager, postmortemId: string, reviewerIds: readonly string[]): Promise<void> {
    await em.query(
      `INSERT INTO postmortem_reviews (postmortem_id, reviewer_id) SELECT $1, unnest($2::uuid[])
       ON CONFLICT (postmortem_id, reviewer_id) DO UPDATE SET verdict = 'PENDING', comment = NULL, decided_at = NULL, requested_at = now()`,
      [postmortemId, reviewerIds],
    );
  }

  async recordVerdict(em: EntityManager, postmortemId: string, reviewerId: string, verdict: ReviewVerdict, comment: string | null): Promise<void> {
    await em.query(`UPDATE postmortem_reviews SET verdict = $3, comment = $4, decided_at = now() WHERE postmortem_id = $1 AND reviewer_id = $2`, [
      postmortemId, reviewerId, verdict, comment,
    ]);
  }

  async setStatus(em: EntityManager, id: string, status: PostmortemStatus): Promise<void> {
    await em.query(`UPDATE postmortems SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);
  }

  async markPublished(em: EntityManager, id: string, by: string): Promise<void> {
    await em.query(`UPDATE postmortems SET status = 'PUBLISHED', published_at = coalesce(published_at, now()), published_by = coalesce(published_by, $2), updated_at = now() WHERE id = $1`, [id, by]);
  }

  async actionItemCount(em: EntityManager, incidentId: string): Promise<number> {
    const row = await queryOne<{ n: number }>(em, `SELECT count(*)::int AS n FROM action_items WHERE incident_id = $1 AND committed`, [incidentId]);
    return row?.n ?? 0;
  }

  /** What the markdown export lists of the action items (owned by the action-items feature). */
  actionItemsForExport(incidentId: string): Promise<{ title: string; kind: string; priority: string; status: string; dueAt: Date; team: string; assignee: string | null }[]> {
    return queryRows(
      this.ds,
      `SELECT a.title, a.kind, a.priority, a.status, a.due_at AS "dueAt", t.name AS team, u.name AS assignee
         FROM action_items a JOIN teams t ON t.id = a.owner_team_id LEFT JOIN users u ON u.id = a.assignee_id
        WHERE a.incident_id = $1 ORDER BY a.priority, a.due_at, a.id`,
      [incidentId],
    );
  }
}
