import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { ActionStatus, OPEN_ACTION_STATUSES, Priority, TrackerKind, TrackerState } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryRows } from '@hindsight/server-db';

export interface ConnectionRow {
  id: string;
  kind: TrackerKind;
  name: string;
  baseUrl: string;
  project: string;
  email: string | null;
  tokenEnc: string;
  webhookSecretEnc: string | null;
  teamId: string | null;
  autoCreate: boolean;
  lastSyncedAt: Date | null;
  lastError: string | null;
  createdAt: Date;
}

export interface LinkRow {
  id: string;
  actionItemId: string;
  connectionId: string;
  externalKey: string | null;
  url: string | null;
  state: TrackerState;
  createMarker: string;
  remoteUpdatedAt: Date | null;
  pushedDueDate: string | null;
  proposedDueDate: string | null;
  awaitingVerification: boolean;
  closedUpstreamBy: string | null;
  closedUpstreamAt: Date | null;
  syncedAt: Date | null;
  lastError: string | null;
  /** When the tracker said the issue no longer exists (or the token can no longer see it). */
  deletedUpstreamAt: Date | null;
  createdAt: Date;
}

export interface PushRow {
  id: string;
  linkId: string;
  kind: 'CREATE' | 'SYNC';
  status: 'PENDING' | 'DONE' | 'FAILED';
  attempts: number;
}

/** What a push or an inbound change needs to know about the item. */
export interface SyncItemRow {
  id: string;
  title: string;
  description: string | null;
  priority: Priority;
  status: ActionStatus;
  dueAt: Date;
  ownerTeamId: string;
  incidentId: string;
  incidentNumber: number;
  incidentTitle: string;
  assigneeEmail: string | null;
  completionNote: string | null;
  verification: string | null;
  wontDoReason: string | null;
  completedAt: Date | null;
  externalUrl: string | null;
}

const CONNECTION = `id, kind, name, base_url AS "baseUrl", project, email, token_enc AS "tokenEnc", webhook_secret_enc AS "webhookSecretEnc",
  team_id AS "teamId", auto_create AS "autoCreate", last_synced_at AS "lastSyncedAt", last_error AS "lastError", created_at AS "createdAt"`;
const LINK = `l.id, l.action_item_id AS "actionItemId", l.connection_id AS "connectionId", l.external_key AS "externalKey", l.url, l.state,
  l.create_marker AS "createMarker", l.remote_updated_at AS "remoteUpdatedAt", l.pushed_due_date AS "pushedDueDate",
  l.proposed_due_date AS "proposedDueDate", l.awaiting_verification AS "awaitingVerification", l.closed_upstream_by AS "closedUpstreamBy",
  l.closed_upstream_at AS "closedUpstreamAt", l.synced_at AS "syncedAt", l.last_error AS "lastError", l.deleted_upstream_at AS "deletedUpstreamAt",
  l.created_at AS "createdAt"`;
const ITEM = `a.id, a.title, a.description, a.priority, a.status, a.due_at AS "dueAt", a.owner_team_id AS "ownerTeamId", a.incident_id AS "incidentId",
  i.number AS "incidentNumber", i.title AS "incidentTitle", u.email AS "assigneeEmail", a.completion_note AS "completionNote",
  a.verification, a.wont_do_reason AS "wontDoReason", a.completed_at AS "completedAt", a.external_url AS "externalUrl"`;

// Open is the domain's rule (OPEN_ACTION_STATUSES), not a second list here.
const OPEN_ITEM = `(${OPEN_ACTION_STATUSES.map((s) => `'${s}'`).join(', ')})`;

export type NewConnection = Omit<ConnectionRow, 'id' | 'lastSyncedAt' | 'lastError' | 'createdAt'> & { createdBy: string };

/** All SQL of tracker sync. */
@Injectable()
export class TrackersRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private q(em?: EntityManager) {
    return em ?? this.ds;
  }

  async insertConnection(em: EntityManager, c: NewConnection): Promise<ConnectionRow> {
    const [row] = await em.query(
      `INSERT INTO tracker_connections (kind, name, base_url, project, email, token_enc, webhook_secret_enc, team_id, auto_create, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${CONNECTION}`,
      [c.kind, c.name, c.baseUrl, c.project, c.email, c.tokenEnc, c.webhookSecretEnc, c.teamId, c.autoCreate, c.createdBy],
    );
    return row;
  }

  connections(): Promise<ConnectionRow[]> {
    return this.ds.query(`SELECT ${CONNECTION} FROM tracker_connections ORDER BY name, id`);
  }

  async connectionsByIds(ids: readonly string[], em?: EntityManager): Promise<ConnectionRow[]> {
    return this.q(em).query(`SELECT ${CONNECTION} FROM tracker_connections WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async connection(id: string, em?: EntityManager): Promise<ConnectionRow | null> {
    return (await this.connectionsByIds([id], em))[0] ?? null;
  }

  async deleteConnection(em: EntityManager, id: string): Promise<boolean> {
    return (await queryRows(em, `DELETE FROM tracker_connections WHERE id = $1 RETURNING id`, [id])).length > 0;
  }

  async recordConnectionSync(id: string, error: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE tracker_connections SET last_error = $2, last_synced_at = CASE WHEN $2::text IS NULL THEN now() ELSE last_synced_at END WHERE id = $1`,
      [id, error],
    );
  }

  async updateConnection(em: EntityManager, id: string, f: { name?: string; tokenEnc?: string; webhookSecretEnc?: string; autoCreate?: boolean }): Promise<ConnectionRow | null> {
    return queryOne<ConnectionRow>(
      em,
      `UPDATE tracker_connections SET name = coalesce($2, name), token_enc = coalesce($3, token_enc), webhook_secret_enc = coalesce($4, webhook_secret_enc),
              auto_create = coalesce($5, auto_create), last_error = CASE WHEN $3::text IS NULL THEN last_error END
        WHERE id = $1 RETURNING ${CONNECTION}`,
      [id, f.name ?? null, f.tokenEnc ?? null, f.webhookSecretEnc ?? null, f.autoCreate ?? null],
    );
  }

  /** Pushes of the connection that failed for good go back to the outbox (after a new token), once per link and kind. */
  async retryFailedPushes(em: EntityManager, connectionId: string): Promise<number> {
    const rows = await queryRows(
      em,
      `UPDATE tracker_pushes p SET status = 'PENDING', attempts = 0, enqueued_at = NULL, done_at = NULL
         FROM tracker_links l
        WHERE l.id = p.link_id AND l.connection_id = $1 AND p.status = 'FAILED'
          AND p.id = (SELECT f.id FROM tracker_pushes f WHERE f.link_id = p.link_id AND f.kind = p.kind AND f.status = 'FAILED' ORDER BY f.created_at DESC LIMIT 1)
          AND NOT EXISTS (SELECT 1 FROM tracker_pushes q WHERE q.link_id = p.link_id AND q.kind = p.kind AND q.status = 'PENDING')
       RETURNING p.id`,
      [connectionId],
    );
    return rows.length;
  }

  async reencryptConnection(em: EntityManager, id: string, tokenEnc: string, webhookSecretEnc: string | null): Promise<void> {
    await em.query(`UPDATE tracker_connections SET token_enc = $2, webhook_secret_enc = $3 WHERE id = $1`, [id, tokenEnc, webhookSecretEnc]);
  }

  linksByItemIds(ids: readonly string[]): Promise<LinkRow[]> {
    return this.ds.query(`SELECT ${LINK} FROM tracker_links l WHERE l.action_item_id = ANY($1::uuid[])`, [ids]);
  }

  async linkOfItem(em: EntityManager, itemId: string, lock = false): Promise<LinkRow | null> {
    const [row] = await em.query(`SELECT ${LINK} FROM tracker_links l WHERE l.action_item_id = $1 ${lock ? 'FOR UPDATE' : ''}`, [itemId]);
    return row ?? null;
  }

  async linkById(em: EntityManager, id: string, lock = false): Promise<LinkRow | null> {
    const [row] = await em.query(`SELECT ${LINK} FROM tracker_links l WHERE l.id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  /** Whether the tracker issue is linked to an item already. */
  async issueLinked(em: EntityManager, connectionId: string, key: string): Promise<boolean> {
    return (await queryRows(em, `SELECT 1 FROM tracker_links WHERE connection_id = $1 AND external_key = $2`, [connectionId, key])).length > 0;
  }

  async linkByKey(em: EntityManager, connectionId: string, key: string): Promise<LinkRow | null> {
    const [row] = await em.query(`SELECT ${LINK} FROM tracker_links l WHERE l.connection_id = $1 AND l.external_key = $2 FOR UPDATE`, [connectionId, key]);
    return row ?? null;
  }

  async insertLink(
    em: EntityManager,
    l: { actionItemId: string; connectionId: string; externalKey: string | null; url: string | null; state: TrackerState; remoteUpdatedAt: Date | null; createdBy: string },
  ): Promise<LinkRow | null> {
    const [row] = await em.query(
      `INSERT INTO tracker_links AS l (action_item_id, connection_id, external_key, url, state, remote_updated_at, synced_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END, $7)
       ON CONFLICT DO NOTHING RETURNING ${LINK}`,
      [l.actionItemId, l.connectionId, l.externalKey, l.url, l.state, l.remoteUpdatedAt, l.createdBy],
    );
    return row ?? null;
  }

  /** Links and CREATE pushes for every open, unlinked item of an incident the connection may take. */
  async linkOpenItemsOfIncident(em: EntityManager, incidentId: string, connection: ConnectionRow, createdBy: string): Promise<string[]> {
    const rows: { actionItemId: string }[] = await em.query(
      `WITH link AS (
         INSERT INTO tracker_links (action_item_id, connection_id, created_by)
         SELECT a.id, $2, $4 FROM action_items a
          WHERE a.incident_id = $1 AND a.status IN ${OPEN_ITEM} AND ($3::uuid IS NULL OR a.owner_team_id = $3)
         ON CONFLICT DO NOTHING RETURNING id, action_item_id
       ), push AS (INSERT INTO tracker_pushes (link_id, kind) SELECT id, 'CREATE' FROM link)
       SELECT action_item_id AS "actionItemId" FROM link`,
      [incidentId, connection.id, connection.teamId, createdBy],
    );
    return rows.map((r) => r.actionItemId);
  }

  async deleteLink(em: EntityManager, itemId: string): Promise<LinkRow | null> {
    return queryOne<LinkRow>(em, `DELETE FROM tracker_links l WHERE l.action_item_id = $1 RETURNING ${LINK}`, [itemId]);
  }

  async updateLink(em: EntityManager, id: string, f: Partial<Omit<LinkRow, 'id' | 'actionItemId' | 'connectionId' | 'createMarker' | 'createdAt'>>): Promise<void> {
    const cols: Record<string, string> = {
      externalKey: 'external_key', url: 'url', state: 'state', remoteUpdatedAt: 'remote_updated_at', pushedDueDate: 'pushed_due_date',
      proposedDueDate: 'proposed_due_date', awaitingVerification: 'awaiting_verification', closedUpstreamBy: 'closed_upstream_by',
      closedUpstreamAt: 'closed_upstream_at', syncedAt: 'synced_at', lastError: 'last_error', deletedUpstreamAt: 'deleted_upstream_at',
    };
    const keys = Object.keys(f).filter((k) => (f as Record<string, unknown>)[k] !== undefined);
    if (keys.length === 0) return;
    await em.query(`UPDATE tracker_links SET ${keys.map((k, i) => `${cols[k]} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...keys.map((k) => (f as Record<string, unknown>)[k])]);
  }

  async insertPush(em: EntityManager, linkId: string, kind: PushRow['kind']): Promise<void> {
    await em.query(`INSERT INTO tracker_pushes (link_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [linkId, kind]);
  }

  async pushForUpdate(em: EntityManager, id: string): Promise<PushRow | null> {
    const [row] = await em.query(`SELECT id, link_id AS "linkId", kind, status, attempts FROM tracker_pushes WHERE id = $1 FOR UPDATE`, [id]);
    return row ?? null;
  }

  async finishPush(em: EntityManager, id: string): Promise<void> {
    await em.query(`UPDATE tracker_pushes SET status = 'DONE', done_at = now(), last_error = NULL WHERE id = $1`, [id]);
  }

  /** Every failed attempt is written down; the final one marks the push FAILED and the link's error stays visible. */
  async recordPushFailure(id: string, error: string, final: boolean): Promise<void> {
    await this.ds.query(
      `WITH p AS (
         UPDATE tracker_pushes SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3 THEN 'FAILED' ELSE status END,
                done_at = CASE WHEN $3 THEN now() END
          WHERE id = $1 AND status = 'PENDING' RETURNING link_id)
       UPDATE tracker_links SET last_error = $2 WHERE id IN (SELECT link_id FROM p)`,
      [id, error, final],
    );
  }

  /** The relay's work: pending pushes never enqueued, or enqueued long ago (Redis may have lost them). */
  async pendingPushIds(staleBefore: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM tracker_pushes WHERE status = 'PENDING' AND (enqueued_at IS NULL OR enqueued_at < $1) ORDER BY enqueued_at NULLS FIRST, created_at LIMIT $2`,
      [staleBefore, limit],
    );
    return rows.map((r) => r.id);
  }

  async markPushesEnqueued(ids: readonly string[]): Promise<void> {
    await this.ds.query(`UPDATE tracker_pushes SET enqueued_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async item(em: EntityManager, id: string): Promise<SyncItemRow | null> {
    const [row] = await em.query(
      `SELECT ${ITEM} FROM action_items a JOIN incidents i ON i.id = a.incident_id LEFT JOIN users u ON u.id = a.assignee_id WHERE a.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** Linked issues to read back, in id order, one page at a time (not those deleted upstream: there is nothing to read). */
  async linksToReconcile(connectionId: string, afterId: string | null, limit: number): Promise<LinkRow[]> {
    return this.ds.query(
      `SELECT ${LINK} FROM tracker_links l JOIN action_items a ON a.id = l.action_item_id
        WHERE l.connection_id = $1 AND l.external_key IS NOT NULL AND l.deleted_upstream_at IS NULL AND ($2::uuid IS NULL OR l.id > $2)
          AND (l.state = 'OPEN' OR a.status IN ${OPEN_ITEM})
        ORDER BY l.id LIMIT $3`,
      [connectionId, afterId, limit],
    );
  }

  /**
   * Links whose issue the tracker said was gone are read again (after a new token: a token
   * that lost access makes issues look deleted). Returns how many.
   */
  async clearDeletedUpstream(em: EntityManager, connectionId: string): Promise<number> {
    return (await queryRows(em, `UPDATE tracker_links SET deleted_upstream_at = NULL WHERE connection_id = $1 AND deleted_upstream_at IS NOT NULL RETURNING id`, [connectionId])).length;
  }

  /**
   * The issue a CREATE push just made, committed at once on a connection of its own: the
   * push's transaction (which holds the link's row lock) may yet roll back.
   */
  async recordCreatedIssue(connectionId: string, linkId: string, issue: { key: string; id: string }): Promise<void> {
    await this.ds.query(
      `INSERT INTO tracker_created_issues (link_id, connection_id, issue_key, issue_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [linkId, connectionId, issue.key, issue.id],
    );
  }

  /** Tracker ids of the issues earlier attempts of the link's CREATE made, newest first. */
  async createdIssueIds(em: EntityManager, linkId: string): Promise<string[]> {
    const rows: { id: string }[] = await em.query(`SELECT issue_id AS id FROM tracker_created_issues WHERE link_id = $1 ORDER BY created_at DESC LIMIT 50`, [linkId]);
    return rows.map((r) => r.id);
  }

  async forgetCreatedIssues(em: EntityManager, linkId: string): Promise<void> {
    await em.query(`DELETE FROM tracker_created_issues WHERE link_id = $1`, [linkId]);
  }

  /** Rows of creations never recorded on a link (the link was deleted meanwhile); a month covers any retry. */
  async pruneCreatedIssues(): Promise<number> {
    return (await queryRows(this.ds, `DELETE FROM tracker_created_issues WHERE created_at < now() - interval '30 days' RETURNING link_id`)).length;
  }

  /** True the first time a delivery id is seen for the connection. */
  async firstDelivery(em: EntityManager, connectionId: string, deliveryId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO tracker_webhook_deliveries (connection_id, delivery_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING delivery_id`,
      [connectionId, deliveryId],
    );
    return rows.length > 0;
  }

  /**
   * Delivery ids are kept for 30 days: trackers redeliver within hours, and an older replay
   * is still refused as stale by the issue's update time.
   */
  async pruneWebhookDeliveries(): Promise<number> {
    return (await queryRows(this.ds, `DELETE FROM tracker_webhook_deliveries WHERE received_at < now() - interval '30 days' RETURNING delivery_id`)).length;
  }

  /** Changes the tracker asked for are not captured as pushes back to it (the trigger skips them). */
  async markTrackerOrigin(em: EntityManager): Promise<void> {
    await em.query(`SELECT set_config('hindsight.tracker_origin', 'tracker', true)`);
  }

  async allConnectionSecrets(em: EntityManager): Promise<{ id: string; tokenEnc: string; webhookSecretEnc: string | null }[]> {
    return em.query(`SELECT id, token_enc AS "tokenEnc", webhook_secret_enc AS "webhookSecretEnc" FROM tracker_connections ORDER BY id FOR UPDATE`);
  }

  async teamExists(em: EntityManager, id: string): Promise<boolean> {
    return (await queryRows(em, `SELECT 1 FROM teams WHERE id = $1`, [id])).length > 0;
  }

  async incidentExists(em: EntityManager, id: string): Promise<boolean> {
    return (await queryRows(em, `SELECT 1 FROM incidents WHERE id = $1`, [id])).length > 0;
  }

  async connectionIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM tracker_connections ORDER BY id`);
    return rows.map((r) => r.id);
  }
}
