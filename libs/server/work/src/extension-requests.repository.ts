import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ExtensionStatus } from '@hindsight/domain';
import { Executor, InjectDataSource, queryOne, queryReturned, queryRows } from '@hindsight/server-db';

export interface ExtensionRequestRow {
  id: string;
  actionItemId: string;
  requestedById: string;
  previousDueAt: Date;
  until: Date;
  reason: string;
  status: ExtensionStatus;
  createdAt: Date;
  decidedById: string | null;
  decidedAt: Date | null;
  note: string | null;
}

/** The people an extension request is about, as the notification needs them. */
export interface ExtensionPeople {
  teamId: string;
  managerId: string | null;
  managerEmail: string | null;
  managerName: string | null;
  requesterEmail: string | null;
  requesterName: string | null;
}

const COLUMNS = `x.id, x.action_item_id AS "actionItemId", x.requested_by AS "requestedById", x.previous_due_at AS "previousDueAt", x.until, x.reason,
  x.status, x.created_at AS "createdAt", x.decided_by AS "decidedById", x.decided_at AS "decidedAt", x.note`;

/** All SQL about due-date extension requests. */
@Injectable()
export class ExtensionRequestsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  byIds(ids: readonly string[]): Promise<ExtensionRequestRow[]> {
    return queryRows(this.ds, `SELECT ${COLUMNS} FROM due_date_extension_requests x WHERE x.id = ANY($1::uuid[])`, [ids]);
  }

  /** ActionItem.extensionRequests: newest first. */
  ofItems(itemIds: readonly string[]): Promise<ExtensionRequestRow[]> {
    return queryRows(this.ds, `SELECT ${COLUMNS} FROM due_date_extension_requests x WHERE x.action_item_id = ANY($1::uuid[]) ORDER BY x.created_at DESC, x.id`, [itemIds]);
  }

  forUpdate(em: EntityManager, id: string): Promise<ExtensionRequestRow | null> {
    return queryOne(em, `SELECT ${COLUMNS} FROM due_date_extension_requests x WHERE x.id = $1 FOR UPDATE`, [id]);
  }

  pendingOfItem(em: EntityManager, itemId: string): Promise<ExtensionRequestRow | null> {
    return queryOne(em, `SELECT ${COLUMNS} FROM due_date_extension_requests x WHERE x.action_item_id = $1 AND x.status = 'PENDING' LIMIT 1`, [itemId]);
  }

  async insert(em: EntityManager, r: { actionItemId: string; requestedBy: string; previousDueAt: Date; until: Date; reason: string }): Promise<ExtensionRequestRow> {
    return queryReturned<ExtensionRequestRow>(
      em,
      `INSERT INTO due_date_extension_requests AS x (action_item_id, requested_by, previous_due_at, until, reason) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [r.actionItemId, r.requestedBy, r.previousDueAt, r.until, r.reason],
      'INSERT INTO due_date_extension_requests returned no row',
    );
  }

  async decide(em: EntityManager, id: string, status: Exclude<ExtensionStatus, 'PENDING'>, decidedBy: string, note: string | null): Promise<ExtensionRequestRow> {
    return queryReturned<ExtensionRequestRow>(
      em,
      `UPDATE due_date_extension_requests AS x SET status = $2, decided_by = $3, decided_at = now(), note = $4 WHERE x.id = $1 AND x.status = 'PENDING' RETURNING ${COLUMNS}`,
      [id, status, decidedBy, note],
      `extension request ${id} was not pending`,
    );
  }

  /** The owning team's active manager and the requester, for the messages. */
  async people(db: Executor, teamId: string, requesterId: string): Promise<ExtensionPeople> {
    return queryReturned<ExtensionPeople>(
      db,
      `SELECT t.id AS "teamId", t.manager_id AS "managerId", m.email AS "managerEmail", m.name AS "managerName",
              r.email AS "requesterEmail", r.name AS "requesterName"
         FROM teams t
         LEFT JOIN users m ON m.id = t.manager_id AND m.active
         LEFT JOIN users r ON r.id = $2 AND r.active
        WHERE t.id = $1`,
      [teamId, requesterId],
      `team ${teamId} is missing`,
    );
  }
}
