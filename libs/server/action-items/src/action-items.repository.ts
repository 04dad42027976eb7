import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ActionKind, ActionStatus, FactorCategory, OPEN_ACTION_STATUSES, Priority, SafeguardKind } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryReturned, queryRows, SqlConditions } from '@hindsight/server-db';

export interface ActionItemRow {
  id: string;
  incidentId: string;
  title: string;
  description: string | null;
  kind: ActionKind;
  priority: Priority;
  status: ActionStatus;
  ownerTeamId: string;
  assigneeId: string | null;
  /** Who had the item before its assignee last changed (kept by a trigger); shown while it is unassigned. */
  previousAssigneeId: string | null;
  dueAt: Date;
  snoozedUntil: Date | null;
  snoozeReason: string | null;
  completedAt: Date | null;
  completionNote: string | null;
  verification: string | null;
  wontDoReason: string | null;
  externalUrl: string | null;
  addressesFactorId: string | null;
  addressesSafeguardId: string | null;
  /** The runbook whose gap this item fixes (issue 13); a new revision of it can complete the item. */
  addressesRunbookId: string | null;
  reach: number | null;
  impact: number | null;
  confidence: number | null;
  effortDays: number | null;
  /** false: an idea — proposed, never chased, never overdue, not in action-item health (PRODUCT.md 5). */
  committed: boolean;
  createdById: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Every column an insert or update writes; the rest (id, timestamps, creator) the database or the caller owns. */
// previousAssigneeId is written by a trigger only (on any change of assignee).
export type ActionItemWrite = Omit<ActionItemRow, 'id' | 'incidentId' | 'createdById' | 'createdAt' | 'updatedAt' | 'previousAssigneeId'>;

export interface DueChangeRow {
  id: string;
  actionItemId: string;
  previousDueAt: Date;
  newDueAt: Date;
  reason: string;
  changedById: string | null;
  changedAt: Date;
}

export interface FactorRow { id: string; incidentId: string; category: FactorCategory; description: string; isTrigger: boolean }
export interface SafeguardRow { id: string; incidentId: string; kind: SafeguardKind; expectedBehavior: string; whyItFailed: string }

export interface ActionItemListFilter {
  teamIds?: readonly string[] | null;
  assigneeIds?: readonly string[] | null;
  statuses?: readonly ActionStatus[] | null;
  priorities?: readonly Priority[] | null;
  overdue?: boolean | null;
  incidentId?: string | null;
  /** true: linked to a tracker issue; false: not linked. */
  trackerLinked?: boolean | null;
  /** true: commitments only; false: ideas only. */
  committed?: boolean | null;
}

/**
 * The list's sort keys, (dueAt, id): stable because id breaks every tie. dueAt travels as
 * Postgres's own microsecond text, so a row whose due date has sub-millisecond digits (set
 * by SQL rather than by a JavaScript Date) is neither repeated nor skipped across pages.
 */
export interface ActionItemCursor { dueAt: string; id: string }

export type ActionItemPageRow = ActionItemRow & { cursorDueAt: string };

const COLUMNS = `a.id, a.incident_id AS "incidentId", a.title, a.description, a.kind, a.priority, a.status, a.owner_team_id AS "ownerTeamId",
  a.assignee_id AS "assigneeId", a.previous_assignee_id AS "previousAssigneeId", a.due_at AS "dueAt", a.snoozed_until AS "snoozedUntil", a.snooze_reason AS "snoozeReason",
  a.completed_at AS "completedAt", a.completion_note AS "completionNote", a.verification, a.wont_do_reason AS "wontDoReason",
  a.external_url AS "externalUrl", a.addresses_factor_id AS "addressesFactorId", a.addresses_safeguard_id AS "addressesSafeguardId",
  a.addresses_runbook_id AS "addressesRunbookId", a.reach, a.impact, a.confidence, a.effort_days AS "effortDays", a.committed, a.created_by AS "createdById", a.created_at AS "createdAt", a.updated_at AS "updatedAt"`;

const DUE_CHANGE_COLUMNS = `c.id::text, c.action_item_id AS "actionItemId", c.previous_due_at AS "previousDueAt", c.new_due_at AS "newDueAt",
  c.reason, c.changed_by AS "changedById", c.changed_at AS "changedAt"`;

const WRITE_COLUMNS = [
  ['title', 'title'], ['description', 'description'], ['kind', 'kind'], ['priority', 'priority'], ['status', 'status'],
  ['owner_team_id', 'ownerTeamId'], ['assignee_id', 'assigneeId'], ['due_at', 'dueAt'], ['snoozed_until', 'snoozedUntil'],
  ['snooze_reason', 'snoozeReason'], ['completed_at', 'completedAt'], ['completion_note', 'completionNote'], ['verification', 'verification'],
  ['wont_do_reason', 'wontDoReason'], ['external_url', 'externalUrl'], ['addresses_factor_id', 'addressesFactorId'],
  ['addresses_safeguard_id', 'addressesSafeguardId'], ['addresses_runbook_id', 'addressesRunbookId'], ['reach', 'reach'], ['impact', 'impact'], ['confidence', 'confidence'], ['effort_days', 'effortDays'], ['committed', 'committed'],
] as const satisfies readonly (readonly [string, keyof ActionItemWrite])[];

const OPEN = `(${OPEN_ACTION_STATUSES.map((s) => `'${s}'`).join(', ')})`;

function filterConditions(f: ActionItemListFilter, now: Date): SqlConditions {
  const c = new SqlConditions();
  if (f.teamIds) c.add(`a.owner_team_id = ANY(${c.param(f.teamIds)}::uuid[])`);
  if (f.assigneeIds) c.add(`a.assignee_id = ANY(${c.param(f.assigneeIds)}::uuid[])`);
  if (f.statuses) c.add(`a.status = ANY(${c.param(f.statuses)}::text[])`);
  if (f.priorities) c.add(`a.priority = ANY(${c.param(f.priorities)}::text[])`);
  if (f.incidentId) c.add(`a.incident_id = ${c.param(f.incidentId)}`);
  // The domain's isOverdue: open and strictly past dueAt.
  // Ideas are never overdue (PRODUCT.md 5).
  if (f.overdue === true) c.add(`a.committed AND a.status IN ${OPEN} AND a.due_at < ${c.param(now)}`);
  if (f.overdue === false) c.add(`NOT (a.committed AND a.status IN ${OPEN} AND a.due_at < ${c.param(now)})`);
  if (typeof f.committed === 'boolean') c.add(`${f.committed ? '' : 'NOT '}a.committed`);
  if (typeof f.trackerLinked === 'boolean') c.add(`${f.trackerLinked ? '' : 'NOT '}EXISTS (SELECT 1 FROM tracker_links l WHERE l.action_item_id = a.id)`);
  return c;
}

/** All SQL about action items and their deadline history. */
@Injectable()
export class ActionItemsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  itemsByIds(ids: readonly string[]): Promise<ActionItemRow[]> {
    return queryRows(this.ds, `SELECT ${COLUMNS} FROM action_items a WHERE a.id = ANY($1::uuid[])`, [ids]);
  }

  /** Action items of each incident, for Incident.actionItems: soonest due first. */
  itemsOfIncidents(incidentIds: readonly string[]): Promise<ActionItemRow[]> {
    return queryRows(this.ds, `SELECT ${COLUMNS} FROM action_items a WHERE a.incident_id = ANY($1::uuid[]) ORDER BY a.due_at, a.id`, [incidentIds]);
  }

  /** One page in (dueAt, id) order after the cursor, plus one row to tell whether more follow. */
  page(filter: ActionItemListFilter, now: Date, after: ActionItemCursor | null, limit: number): Promise<ActionItemPageRow[]> {
    const c = filterConditions(filter, now);
    if (after) c.add(`(a.due_at, a.id) > (${c.param(after.dueAt)}::timestamptz, ${c.param(after.id)}::uuid)`);
    return queryRows(
      this.ds,
      `SELECT ${COLUMNS}, to_char(a.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorDueAt"
         FROM action_items a ${c.where} ORDER BY a.due_at, a.id LIMIT ${c.param(limit + 1)}`,
      c.params,
    );
  }

  async count(filter: ActionItemListFilter, now: Date): Promise<number> {
    const c = filterConditions(filter, now);
    const row = await queryOne<{ n: number }>(this.ds, `SELECT count(*)::int AS n FROM action_items a ${c.where}`, c.params);
    return row?.n ?? 0;
  }

  /** Locks the item for the rest of the transaction, so concurrent edits apply one after the other. */
  itemForUpdate(em: EntityManager, id: string): Promise<ActionItemRow | null> {
    return queryOne(em, `SELECT ${COLUMNS} FROM action_items a WHERE a.id = $1 FOR UPDATE`, [id]);
  }

  async insert(em: EntityManager, incidentId: string, createdBy: string, w: ActionItemWrite): Promise<ActionItemRow> {
    const values = WRITE_COLUMNS.map(([, key]) => w[key]);
    const placeholders = WRITE_COLUMNS.map((_, i) => `$${i + 3}`).join(', ');
    return queryReturned<ActionItemRow>(
      em,
      `INSERT INTO action_items AS a (incident_id, created_by, ${WRITE_COLUMNS.map(([col]) => col).join(', ')})
       VALUES ($1, $2, ${placeholders}) RETURNING ${COLUMNS}`,
      [incidentId, createdBy, ...values],
      'INSERT INTO action_items returned no row',
    );
  }

  async update(em: EntityManager, id: string, w: ActionItemWrite): Promise<ActionItemRow> {
    const sets = WRITE_COLUMNS.map(([col], i) => `${col} = $${i + 2}`).join(', ');
    return queryReturned<ActionItemRow>(
      em,
      `UPDATE action_items AS a SET ${sets}, updated_at = now() WHERE a.id = $1 RETURNING ${COLUMNS}`,
      [id, ...WRITE_COLUMNS.map(([, key]) => w[key])],
      `UPDATE action_items found no row ${id}`,
    );
  }

  /**
   * Unassigns the user's open items (of one team, or all); the assignee trigger keeps who had
   * each. Returns their ids.
   */
  async unassignOpenItemsOf(em: EntityManager, userId: string, teamId: string | null): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      em,
      `UPDATE action_items SET assignee_id = NULL, updated_at = now()
        WHERE assignee_id = $1 AND ($2::uuid IS NULL OR owner_team_id = $2) AND status IN ${OPEN} RETURNING id`,
      [userId, teamId],
    );
    return rows.map((r) => r.id);
  }

  /** Sets the external link only where none is set (a person's link is never replaced). */
  async setExternalUrlIfUnset(em: EntityManager, id: string, url: string): Promise<boolean> {
    const rows = await queryRows(em, `UPDATE action_items SET external_url = $2, updated_at = now() WHERE id = $1 AND external_url IS NULL RETURNING id`, [id, url]);
    return rows.length > 0;
  }

  async insertDueChange(em: EntityManager, c: { actionItemId: string; previousDueAt: Date; newDueAt: Date; reason: string; changedBy: string }): Promise<DueChangeRow> {
    return queryReturned<DueChangeRow>(
      em,
      `INSERT INTO action_item_due_changes AS c (action_item_id, previous_due_at, new_due_at, reason, changed_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${DUE_CHANGE_COLUMNS}`,
      [c.actionItemId, c.previousDueAt, c.newDueAt, c.reason, c.changedBy],
      'INSERT INTO action_item_due_changes returned no row',
    );
  }

  /** Deadline history of each item, oldest change first. */
  dueChangesOfItems(itemIds: readonly string[]): Promise<DueChangeRow[]> {
    return queryRows(this.ds, `SELECT ${DUE_CHANGE_COLUMNS} FROM action_item_due_changes c WHERE c.action_item_id = ANY($1::uuid[]) ORDER BY c.changed_at, c.id`, [itemIds]);
  }

  factorsByIds(ids: readonly string[], em: EntityManager | DataSource = this.ds): Promise<FactorRow[]> {
    return queryRows(
      em,
      `SELECT f.id, f.incident_id AS "incidentId", f.category, f.description, f.is_trigger AS "isTrigger" FROM contributing_factors f WHERE f.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  safeguardsByIds(ids: readonly string[], em: EntityManager | DataSource = this.ds): Promise<SafeguardRow[]> {
    return queryRows(
      em,
      `SELECT g.id, g.incident_id AS "incidentId", g.kind, g.expected_behavior AS "expectedBehavior", g.why_it_failed AS "whyItFailed"
         FROM failed_safeguards g WHERE g.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async runbookExists(em: EntityManager, id: string): Promise<boolean> {
    const rows = await queryRows(em, `SELECT 1 FROM runbooks WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async incidentExists(em: EntityManager, id: string): Promise<boolean> {
    const rows = await queryRows(em, `SELECT 1 FROM incidents WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async team(em: EntityManager, id: string): Promise<{ id: string; managerId: string | null } | null> {
    return queryOne(em, `SELECT id, manager_id AS "managerId" FROM teams WHERE id = $1`, [id]);
  }

  async userActive(em: EntityManager, id: string): Promise<boolean | null> {
    const row = await queryOne<{ active: boolean }>(em, `SELECT active FROM users WHERE id = $1`, [id]);
    return row ? row.active : null;
  }
}
