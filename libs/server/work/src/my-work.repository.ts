import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { OPEN_ACTION_STATUSES } from '@hindsight/domain';
import { InjectDataSource, queryRows } from '@hindsight/server-db';

/** Which MyWork list a row belongs to. */
export type MyWorkList =
  | 'overdue'
  | 'dueSoon'
  | 'unassignedInMyTeams'
  | 'escalatedInMyTeams'
  | 'extensionRequests'
  /** The action items those requests are about (the home queue ranks a request by its item). */
  | 'requestItems'
  | 'postmortemsToWrite'
  | 'reviewsRequested'
  | 'openIncidents';

/** One entry: the id of an action item, extension request or incident (postmortems travel by their incident). */
export interface MyWorkEntry {
  list: MyWorkList;
  id: string;
  position: number;
}

export interface MyWorkQuery {
  userId: string;
  teamIds: readonly string[];
  isAdmin: boolean;
  now: Date;
  dueSoonUntil: Date;
  /** Items due at or before this have reached ESCALATED. */
  escalatedDueBy: Date;
  limit: number;
}

// Open is the domain's rule (OPEN_ACTION_STATUSES), not a second list here.
// Ideas (not committed) need nobody yet: they are never chased nor overdue (PRODUCT.md 5).
const OPEN_ITEM = `x.status IN (${OPEN_ACTION_STATUSES.map((s) => `'${s}'`).join(', ')}) AND x.committed`;

// The team's manager decides; an ADMIN also sees the requests of teams without an active manager.
const WAITING_FOR_ME = `due_date_extension_requests x JOIN action_items a ON a.id = x.action_item_id JOIN teams t ON t.id = a.owner_team_id
  WHERE x.status = 'PENDING' AND x.requested_by <> $1
    AND (t.manager_id = $1 OR ($3 AND NOT EXISTS (SELECT 1 FROM users m WHERE m.id = t.manager_id AND m.active)))`;

/**
 * The home page's lists in ONE statement: each branch is a small index-driven query
 * (assignee, team, commander, reviewer), most urgent first, capped per list. The rows
 * themselves are then read by id through the owning libraries' repositories.
 */
@Injectable()
export class MyWorkRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  entries(q: MyWorkQuery): Promise<MyWorkEntry[]> {
    const branch = (list: MyWorkList, order: string, from: string, id = 'x.id') =>
      `(SELECT '${list}' AS list, ${id} AS id, row_number() OVER (ORDER BY ${order})::int AS position FROM ${from} ORDER BY ${order} LIMIT $7)`;
    return queryRows<MyWorkEntry>(
      this.ds,
      [
        branch('overdue', 'x.due_at, x.id', `action_items x WHERE x.assignee_id = $1 AND ${OPEN_ITEM} AND x.due_at < $4`),
        branch('dueSoon', 'x.due_at, x.id', `action_items x WHERE x.assignee_id = $1 AND ${OPEN_ITEM} AND x.due_at >= $4 AND x.due_at < $5`),
        // Deactivated people's items show as unassigned (PRODUCT.md 1).
        branch(
          'unassignedInMyTeams',
          'x.due_at, x.id',
          `action_items x WHERE x.owner_team_id = ANY($2::uuid[]) AND ${OPEN_ITEM}
             AND (x.assignee_id IS NULL OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = x.assignee_id AND u.active))`,
        ),
        branch(
          'escalatedInMyTeams',
          'x.due_at, x.id',
          `action_items x JOIN teams t ON t.id = x.owner_team_id WHERE t.manager_id = $1 AND ${OPEN_ITEM} AND x.due_at <= $6`,
        ),
        branch('extensionRequests', 'x.created_at, x.id', WAITING_FOR_ME),
        branch('requestItems', 'x.created_at, x.id', WAITING_FOR_ME, 'a.id'),
        branch(
          'postmortemsToWrite',
          'p.due_at, x.id',
          `incidents x JOIN postmortems p ON p.incident_id = x.id WHERE x.commander_id = $1 AND p.status <> 'PUBLISHED' AND p.due_at IS NOT NULL`,
        ),
        branch(
          'reviewsRequested',
          'r.requested_at, x.id',
          `incidents x JOIN postmortems p ON p.incident_id = x.id JOIN postmortem_reviews r ON r.postmortem_id = p.id
             WHERE r.reviewer_id = $1 AND r.verdict = 'PENDING' AND p.status = 'IN_REVIEW'`,
        ),
        branch(
          'openIncidents',
          'x.severity, x.started_at, x.id',
          `incidents x WHERE x.commander_id = $1 AND x.status NOT IN ('RESOLVED', 'CLOSED')`,
        ),
      ].join('\nUNION ALL\n'),
      [q.userId, q.teamIds, q.isAdmin, q.now, q.dueSoonUntil, q.escalatedDueBy, q.limit],
    );
  }
}
