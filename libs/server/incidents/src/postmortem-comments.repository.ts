import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PostmortemDocumentSection } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryReturned, queryRows } from '@hindsight/server-db';

export interface PostmortemCommentRow {
  id: string;
  postmortemId: string;
  section: PostmortemDocumentSection;
  body: string;
  authorId: string;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedById: string | null;
}

/** A postmortem as the comment rules see it: its commander and whether the actor is a named reviewer. */
export interface CommentTarget {
  postmortemId: string;
  commanderId: string | null;
  actorIsReviewer: boolean;
}

const COLUMNS = `c.id, c.postmortem_id AS "postmortemId", c.section, c.body, c.author_id AS "authorId", c.created_at AS "createdAt",
  c.resolved_at AS "resolvedAt", c.resolved_by AS "resolvedById"`;

const TARGET = `p.id AS "postmortemId", i.commander_id AS "commanderId",
  EXISTS (SELECT 1 FROM postmortem_reviews r WHERE r.postmortem_id = p.id AND r.reviewer_id = $2) AS "actorIsReviewer"`;

/** All SQL about review comments on postmortems. */
@Injectable()
export class PostmortemCommentsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The comments of these postmortems, oldest first (postmortem_comments_postmortem_idx). */
  commentsOf(postmortemIds: readonly string[]): Promise<PostmortemCommentRow[]> {
    return queryRows(this.ds, `SELECT ${COLUMNS} FROM postmortem_comments c WHERE c.postmortem_id = ANY($1::uuid[]) ORDER BY c.created_at, c.id`, [postmortemIds]);
  }

  targetOfIncident(em: EntityManager, incidentId: string, actorId: string): Promise<CommentTarget | null> {
    return queryOne(em, `SELECT ${TARGET} FROM postmortems p JOIN incidents i ON i.id = p.incident_id WHERE p.incident_id = $1`, [incidentId, actorId]);
  }

  /** The comment, locked so that two resolutions serialise, with its postmortem as the rules see it. */
  lockWithTarget(em: EntityManager, id: string, actorId: string): Promise<(PostmortemCommentRow & CommentTarget) | null> {
    return queryOne(
      em,
      `SELECT ${COLUMNS}, ${TARGET} FROM postmortem_comments c JOIN postmortems p ON p.id = c.postmortem_id JOIN incidents i ON i.id = p.incident_id
        WHERE c.id = $1 FOR UPDATE OF c`,
      [id, actorId],
    );
  }

  async insert(em: EntityManager, c: { postmortemId: string; section: PostmortemDocumentSection; body: string; authorId: string }): Promise<PostmortemCommentRow> {
    return queryReturned<PostmortemCommentRow>(
      em,
      `INSERT INTO postmortem_comments AS c (postmortem_id, section, body, author_id) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [c.postmortemId, c.section, c.body, c.authorId],
      'INSERT INTO postmortem_comments returned no row',
    );
  }

  async resolve(em: EntityManager, id: string, by: string): Promise<PostmortemCommentRow> {
    return queryReturned<PostmortemCommentRow>(em, `UPDATE postmortem_comments AS c SET resolved_at = now(), resolved_by = $2 WHERE c.id = $1 RETURNING ${COLUMNS}`, [id, by], `comment ${id} vanished inside its transaction`);
  }
}
