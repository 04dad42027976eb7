import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { LADDER_STEPS, type ChannelKind, type DeliveryAudience, type DeliveryFacts, type ExtensionDeliveryFacts, type ExtensionEvent, type LadderStep, type NudgeAnswerRow, type NudgeSubjectKind, type ReachedStepBound } from '@hindsight/domain';
import { CONFIG, type ResolvedConfig } from '@hindsight/server-config';
import { Executor, InjectDataSource, newRowIds, queryOne, queryRows } from '@hindsight/server-db';

export interface ChannelRow {
  id: string;
  kind: ChannelKind;
  name: string;
  target: string;
  teamId: string | null;
  createdAt: Date;
}

/** One subject the sweep may have to nudge, with the people its ladder can reach. */
export interface CandidateRow {
  id: string;
  dueAt: Date;
  /** due_at as Postgres printed it: microseconds survive, so the ledger key matches exactly. */
  dueAtKey: string;
  status: string;
  snoozedUntil: Date | null;
  teamId: string | null;
  ownerEmail: string | null;
  ownerName: string | null;
  managerEmail: string | null;
  managerName: string | null;
  /** The steps already recorded (sent or superseded) for its due date. */
  recorded: LadderStep[];
}

export interface NewNudge {
  subjectKind: NudgeSubjectKind;
  subjectId: string;
  dueAtKey: string;
  step: LadderStep;
  superseded: boolean;
  teamId: string | null;
}

/** A half-open range of subject ids: [from, below), either end open when null. */
export interface IdRange {
  from: string | null;
  below: string | null;
}

export interface InsertedNudge {
  id: string;
  subjectId: string;
  step: LadderStep;
  superseded: boolean;
}

export type DeliveryStatus = 'PENDING' | 'SENT' | 'FAILED' | 'SKIPPED';

export interface NewDelivery {
  nudgeId: string | null;
  digestId: string | null;
  /** A message about an extension request (ExtensionEvent says which). */
  extensionRequestId?: string | null;
  extensionEvent?: ExtensionEvent | null;
  kind: ChannelKind;
  channelId: string | null;
  recipient: string;
  recipientName: string | null;
  /** PENDING, or FAILED at once when it can never be sent (no SMTP configured). */
  status: 'PENDING' | 'FAILED';
  lastError: string | null;
}

/**
 * Everything a delivery job needs to decide whether to send one delivery and to render it: the
 * domain's facts (the subject as it is now), with the row's state and its channel.
 */
export interface DeliveryWork extends DeliveryFacts {
  kind: ChannelKind;
  status: DeliveryStatus;
  attempts: number;
  /** The channel's target as stored (shown form), and its sealed secret. */
  channelTarget: string | null;
  channelSecret: string | null;
  nudgeId: string | null;
  incidentId: string | null;
  extension: ExtensionDeliveryFacts | null;
}

/** What escalationHistory needs of one subject: its ladder state, the ledger for its due date, whom it can reach now. */
export interface EscalationFactsRow {
  subjectId: string;
  dueAt: Date | null;
  status: string;
  snoozedUntil: Date | null;
  teamId: string | null;
  teamName: string | null;
  hasOwner: boolean;
  hasManager: boolean;
  ownerIsManager: boolean;
  records: { step: LadderStep; superseded: boolean }[];
  deliveries: { step: LadderStep; kind: ChannelKind; status: DeliveryStatus; lastError: string | null; channelName: string | null; audience: DeliveryAudience }[];
}

export interface NudgeDeliveryRow {
  id: string;
  subjectKind: NudgeSubjectKind;
  subjectId: string;
  /** The subject's incident number (postmortem links open through its reference). */
  incidentNumber: number | null;
  /** The action item has nobody active assigned now. */
  unassigned: boolean;
  step: LadderStep;
  kind: ChannelKind;
  recipient: string;
  dueAt: Date;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
}

const OPEN_ACTION = `('OPEN', 'IN_PROGRESS', 'BLOCKED')`;

/**
 * A postmortem's people for its ladder: the commander (active) as `owner`, the team `t` — the
 * commander's first team by name, else the team owning the first affected service by name —
 * and its manager `m` (active). For `postmortems p`.
 */
const postmortemPeople = (owner: string) => `JOIN incidents i ON i.id = p.incident_id
         LEFT JOIN users ${owner} ON ${owner}.id = i.commander_id AND ${owner}.active
         LEFT JOIN LATERAL (SELECT tm.team_id FROM team_members tm JOIN teams tt ON tt.id = tm.team_id
                             WHERE tm.user_id = i.commander_id ORDER BY tt.name, tt.id LIMIT 1) ct ON true
         LEFT JOIN LATERAL (SELECT s.team_id FROM incident_services x JOIN services s ON s.id = x.service_id
                             WHERE x.incident_id = i.id ORDER BY s.name, s.id LIMIT 1) st ON true
         LEFT JOIN teams t ON t.id = coalesce(ct.team_id, st.team_id)
         LEFT JOIN users m ON m.id = t.manager_id AND m.active`;

/**
 * The ledger of one subject for its current due date, as JSON for escalationHistory: its
 * records, and its deliveries with whom each went to — the owner `o` or manager `m` as they
 * are now (by address), someone else, a team's or leadership's channel, or a deleted channel.
 */
function escalationLedgerSql(kind: NudgeSubjectKind, idCol: string, dueCol: string): string {
  return `coalesce((SELECT json_agg(json_build_object('step', n.step, 'superseded', n.superseded) ORDER BY n.created_at)
              FROM nudges n WHERE n.subject_kind = '${kind}' AND n.subject_id = ${idCol} AND n.due_at = ${dueCol}), '[]') AS records,
         coalesce((SELECT json_agg(json_build_object(
                    'step', n.step, 'kind', d.kind, 'status', d.status, 'lastError', d.last_error,
                    'channelName', coalesce(ch.name, CASE WHEN d.kind <> 'EMAIL' THEN d.recipient END),
                    'audience', CASE
                      WHEN d.channel_id IS NOT NULL THEN CASE WHEN ch.team_id IS NULL THEN 'LEADERSHIP_CHANNEL' ELSE 'TEAM_CHANNEL' END
                      WHEN d.kind <> 'EMAIL' AND NOT (d.kind = 'SLACK' AND d.recipient LIKE '%@%') THEN 'DELETED_CHANNEL'
                      WHEN lower(d.recipient) = lower(o.email) AND lower(d.recipient) = lower(m.email) THEN 'OWNER_MANAGER'
                      WHEN lower(d.recipient) = lower(o.email) THEN 'OWNER'
                      WHEN lower(d.recipient) = lower(m.email) THEN 'MANAGER'
                      ELSE 'PERSON' END) ORDER BY d.created_at, d.id)
              FROM nudges n JOIN deliveries d ON d.nudge_id = n.id LEFT JOIN notification_channels ch ON ch.id = d.channel_id
             WHERE n.subject_kind = '${kind}' AND n.subject_id = ${idCol} AND n.due_at = ${dueCol} AND NOT n.superseded), '[]') AS deliveries`;
}

/** The ladder's steps, most advanced first, as reachedStepBounds lists them; the first step is what the CASE falls back to. */
const [FIRST_STEP, ...LATER_STEPS] = LADDER_STEPS;
const LATER_STEPS_DESC = [...LATER_STEPS].reverse();

/** CASE expression naming the most advanced step reached by `col` at the sweep's `now`. */
function reachedStepSql(col: string, firstParam: number): string {
  const whens = LATER_STEPS_DESC.map((step, i) => `WHEN ${col} <= $${firstParam + i} THEN '${step}'`);
  return `CASE ${whens.join(' ')} ELSE '${FIRST_STEP}' END`;
}

/**
 * The subject's most advanced reached step is not in the ledger yet (an index-only probe of
 * it): a pre-filter, ladderDecision decides what to send.
 */
function reachedStepUnrecordedSql(kind: NudgeSubjectKind, idCol: string, dueCol: string, firstParam: number): string {
  return `NOT EXISTS (SELECT 1 FROM nudges n WHERE n.subject_kind = '${kind}' AND n.subject_id = ${idCol}
                            AND n.due_at = ${dueCol} AND n.step = ${reachedStepSql(dueCol, firstParam)})`;
}

/**
 * The steps recorded for the subject's current due date. In the select list it runs only for
 * the rows the LIMIT keeps, right after the NOT EXISTS probe touched the same index leaf.
 */
function recordedStepsSql(kind: NudgeSubjectKind, idCol: string, dueCol: string): string {
  return `ARRAY(SELECT n.step FROM nudges n WHERE n.subject_kind = '${kind}' AND n.subject_id = ${idCol} AND n.due_at = ${dueCol}) AS recorded`;
}

/** The bounds in the order reachedStepSql expects (most advanced first, the first step implied). */
function boundParams(bounds: readonly ReachedStepBound[]): Date[] {
  return LATER_STEPS_DESC.map((step) => {
    const bound = bounds.find((b) => b.step === step);
    if (!bound) throw new Error(`no bound for the ladder step ${step}`);
    return bound.latestDueAt;
  });
}

@Injectable()
export class ChaseRepository {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: Pick<ResolvedConfig, 'databasePreparedStatements'> = { databasePreparedStatements: true },
  ) {}

  /**
   * Open, unsnoozed action items due by `latestDueAt` whose most advanced reached step is not
   * yet in the ledger, after the keyset cursor: an index-only scan of action_items_chase_cover_idx
   * with an index-only probe of the ledger per item. The NOT EXISTS
   * is only a pre-filter (an item whose reached step is recorded has nothing to send, since
   * every decision records all reached steps at once); ladderDecision decides.
   */
  actionItemCandidates(
    now: Date,
    latestDueAt: Date,
    bounds: readonly ReachedStepBound[],
    after: { dueAtKey: string; id: string } | null,
    limit: number,
    ids: IdRange = { from: null, below: null },
  ): Promise<CandidateRow[]> {
    return queryRows<CandidateRow>(
      this.ds,
      `SELECT a.id, a.due_at AS "dueAt", a.due_at::text AS "dueAtKey", a.status, a.snoozed_until AS "snoozedUntil",
              a.owner_team_id AS "teamId", u.email AS "ownerEmail", u.name AS "ownerName", m.email AS "managerEmail", m.name AS "managerName",
              ${recordedStepsSql('ACTION_ITEM', 'a.id', 'a.due_at')}
         FROM action_items a
         JOIN teams t ON t.id = a.owner_team_id
         LEFT JOIN users u ON u.id = a.assignee_id AND u.active
         LEFT JOIN users m ON m.id = t.manager_id AND m.active
        WHERE a.status IN ${OPEN_ACTION} AND a.due_at <= $1 AND a.committed
          AND (a.snoozed_until IS NULL OR a.snoozed_until <= $2)
          AND ($3::timestamptz IS NULL OR (a.due_at, a.id) > ($3::timestamptz, $4::uuid))
          AND ($10::uuid IS NULL OR a.id >= $10::uuid) AND ($11::uuid IS NULL OR a.id < $11::uuid)
          AND ${reachedStepUnrecordedSql('ACTION_ITEM', 'a.id', 'a.due_at', 6)}
        ORDER BY a.due_at, a.id
        LIMIT $5`,
      [latestDueAt, now, after?.dueAtKey ?? null, after?.id ?? null, limit, ...boundParams(bounds), ids.from, ids.below],
    );
  }

  /**
   * Unpublished postmortems due by `latestDueAt` (postmortems_chase_idx). The owner is the
   * incident's commander; the team is the commander's first team by name, else the team
   * owning the first affected service (by name).
   */
  postmortemCandidates(latestDueAt: Date, bounds: readonly ReachedStepBound[], after: { dueAtKey: string; id: string } | null, limit: number): Promise<CandidateRow[]> {
    return queryRows<CandidateRow>(
      this.ds,
      `SELECT p.id, p.due_at AS "dueAt", p.due_at::text AS "dueAtKey", p.status, NULL::timestamptz AS "snoozedUntil",
              t.id AS "teamId", c.email AS "ownerEmail", c.name AS "ownerName", m.email AS "managerEmail", m.name AS "managerName",
              ${recordedStepsSql('POSTMORTEM', 'p.id', 'p.due_at')}
         FROM postmortems p
         ${postmortemPeople('c')}
        WHERE p.status <> 'PUBLISHED' AND p.due_at IS NOT NULL AND p.due_at <= $1
          AND ($2::timestamptz IS NULL OR (p.due_at, p.id) > ($2::timestamptz, $3::uuid))
          AND ${reachedStepUnrecordedSql('POSTMORTEM', 'p.id', 'p.due_at', 5)}
        ORDER BY p.due_at, p.id
        LIMIT $4`,
      [latestDueAt, after?.dueAtKey ?? null, after?.id ?? null, limit, ...boundParams(bounds)],
    );
  }

  /**
   * Runbooks whose review falls due by `latestDueAt` (runbooks_review_due_idx). A runbook has
   * no single owner: the owning team (the service's) and its manager are reached.
   */
  runbookCandidates(latestDueAt: Date, bounds: readonly ReachedStepBound[], after: { dueAtKey: string; id: string } | null, limit: number): Promise<CandidateRow[]> {
    return queryRows<CandidateRow>(
      this.ds,
      `SELECT r.id, r.review_due_at AS "dueAt", r.review_due_at::text AS "dueAtKey", 'OPEN' AS status, NULL::timestamptz AS "snoozedUntil",
              t.id AS "teamId", NULL AS "ownerEmail", NULL AS "ownerName", m.email AS "managerEmail", m.name AS "managerName",
              ${recordedStepsSql('RUNBOOK', 'r.id', 'r.review_due_at')}
         FROM runbooks r
         JOIN services s ON s.id = r.service_id
         JOIN teams t ON t.id = s.team_id
         LEFT JOIN users m ON m.id = t.manager_id AND m.active
        WHERE r.review_due_at <= $1
          AND ($2::timestamptz IS NULL OR (r.review_due_at, r.id) > ($2::timestamptz, $3::uuid))
          AND ${reachedStepUnrecordedSql('RUNBOOK', 'r.id', 'r.review_due_at', 5)}
        ORDER BY r.review_due_at, r.id
        LIMIT $4`,
      [latestDueAt, after?.dueAtKey ?? null, after?.id ?? null, limit, ...boundParams(bounds)],
    );
  }

  /**
   * Refreshes the planner's statistics of the ledger after a large sweep: the candidate
   * query's anti-join must see the ledger as large, or it plans a scan per row.
   */
  async analyzeLedger(vacuum: boolean): Promise<void> {
    // VACUUM also sets the visibility map, so the next sweep's ledger probes stay index-only.
    await this.ds.query(vacuum ? 'VACUUM (ANALYZE) nudges' : 'ANALYZE nudges');
    await this.ds.query('ANALYZE deliveries');
  }

  /**
   * Records ladder steps; a step already recorded (by a concurrent or earlier sweep) is
   * skipped by the unique constraint and not returned, so only the caller that inserted a
   * step creates its deliveries. Rows must come sorted by subject and step so concurrent
   * sweeps take row locks in the same order and cannot deadlock.
   */
  async insertNudges(em: Executor, rows: readonly NewNudge[]): Promise<InsertedNudge[]> {
    if (rows.length === 0) return [];
    const ids = newRowIds(rows.length);
    // The ids are ours, so the statement answers with one string of those inserted, not a row each.
    const answer = await queryOne<{ ids: string | null }>(
      em,
      `WITH ins AS (
         INSERT INTO nudges (id, subject_kind, subject_id, due_at, step, superseded, team_id)
         SELECT * FROM unnest($7::uuid[], $1::text[], $2::uuid[], $3::timestamptz[], $4::text[], $5::boolean[], $6::uuid[])
         ON CONFLICT ON CONSTRAINT nudges_once_per_step DO NOTHING
         RETURNING id)
       SELECT string_agg(id::text, ',') AS ids FROM ins`,
      [rows.map((r) => r.subjectKind), rows.map((r) => r.subjectId), rows.map((r) => r.dueAtKey), rows.map((r) => r.step), rows.map((r) => r.superseded), rows.map((r) => r.teamId), ids],
    );
    const inserted = new Set(answer?.ids ? answer.ids.split(',') : []);
    return rows.flatMap((r, i) => (inserted.has(ids[i]) ? [{ id: ids[i], subjectId: r.subjectId, step: r.step, superseded: r.superseded }] : []));
  }

  /**
   * Writes outbox rows; returns the ids of those to send, in insertion order. `handedToRelay`:
   * the caller relays them right after the commit (the worker's sweep), so they are written
   * with enqueued_at set instead of being updated once enqueued; a relay that fails clears it
   * again (unmarkEnqueued) for the recovery pass.
   */
  async insertDeliveries(em: Executor, rows: readonly NewDelivery[], handedToRelay = false): Promise<string[]> {
    if (rows.length === 0) return [];
    const ids = newRowIds(rows.length);
    await em.query(
      `INSERT INTO deliveries (id, nudge_id, digest_id, extension_request_id, extension_event, kind, channel_id, recipient, recipient_name, status, last_error, failed_at, enqueued_at)
       SELECT i, n, g, xr, xe, k, c, r, rn, s, e, CASE WHEN s = 'FAILED' THEN now() END, CASE WHEN $11 AND s = 'PENDING' THEN now() END
         FROM unnest($12::uuid[], $1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::text[]) AS x(i, n, g, k, c, r, rn, s, e, xr, xe)`,
      [
        rows.map((r) => r.nudgeId), rows.map((r) => r.digestId), rows.map((r) => r.kind), rows.map((r) => r.channelId),
        rows.map((r) => r.recipient), rows.map((r) => r.recipientName), rows.map((r) => r.status), rows.map((r) => r.lastError),
        rows.map((r) => r.extensionRequestId ?? null), rows.map((r) => r.extensionEvent ?? null), handedToRelay, ids,
      ],
    );
    return ids.filter((_, i) => rows[i].status === 'PENDING');
  }

  listChannels(db: Executor = this.ds): Promise<ChannelRow[]> {
    return queryRows<ChannelRow>(db, `SELECT id, kind, name, target, team_id AS "teamId", created_at AS "createdAt" FROM notification_channels ORDER BY team_id NULLS FIRST, name, id`);
  }

  channelWithSecret(id: string): Promise<(ChannelRow & { secret: string | null }) | null> {
    return queryOne(this.ds.manager, `SELECT id, kind, name, target, secret, team_id AS "teamId", created_at AS "createdAt" FROM notification_channels WHERE id = $1`, [id]);
  }

  /** Channel secrets not sealed with `keyId` (plain, or on an older key), locked for re-sealing. */
  channelSecretsNotOn(em: Executor, keyId: string): Promise<{ id: string; secret: string }[]> {
    return queryRows(em, `SELECT id, secret FROM notification_channels WHERE secret IS NOT NULL AND secret NOT LIKE $1 ORDER BY id FOR UPDATE`, [`v1.${keyId}.%`]);
  }

  /** Replaces a stored secret only if it is still `before`, so two processes doing it at once agree. */
  async replaceChannelSecret(em: Executor, id: string, before: string, after: string): Promise<boolean> {
    return (await queryRows(em, `UPDATE notification_channels SET secret = $3 WHERE id = $1 AND secret = $2 RETURNING id`, [id, before, after])).length === 1;
  }

  lockChannel(em: Executor, id: string): Promise<ChannelRow | null> {
    return queryOne<ChannelRow>(em, `SELECT id, kind, name, target, team_id AS "teamId", created_at AS "createdAt" FROM notification_channels WHERE id = $1 FOR UPDATE`, [id]);
  }

  /**
   * Deletes a channel. Its deliveries stay (channel_id becomes NULL; kind and recipient keep the
   * history readable); those not yet sent are SKIPPED with the reason. Returns how many were skipped.
   */
  async deleteChannel(em: Executor, id: string): Promise<number> {
    const skipped = await queryRows(
      em,
      `UPDATE deliveries SET status = 'SKIPPED', last_error = 'the channel was deleted before the message went out', lease_until = NULL
        WHERE channel_id = $1 AND status = 'PENDING' RETURNING id`,
      [id],
    );
    await queryRows(em, `DELETE FROM notification_channels WHERE id = $1 RETURNING id`, [id]);
    return skipped.length;
  }

  insertChannel(em: Executor, c: { kind: ChannelKind; name: string; target: string; secret: string | null; teamId: string | null; createdBy: string }): Promise<ChannelRow | null> {
    return queryOne<ChannelRow>(
      em,
      `INSERT INTO notification_channels (kind, name, target, secret, team_id, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, kind, name, target, team_id AS "teamId", created_at AS "createdAt"`,
      [c.kind, c.name, c.target, c.secret, c.teamId, c.createdBy],
    );
  }

  async teamExists(em: Executor, id: string): Promise<boolean> {
    return (await queryOne(em, `SELECT 1 FROM teams WHERE id = $1`, [id])) !== null;
  }

  /** Outbox relay bookkeeping: these jobs are in the queue. */
  async markEnqueued(ids: readonly string[]): Promise<void> {
    if (ids.length) await this.ds.query(`UPDATE deliveries SET enqueued_at = now() WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`, [ids]);
  }

  /** Written as handed to the relay, but the relay could not enqueue them: the next recovery pass will. */
  async unmarkEnqueued(ids: readonly string[]): Promise<void> {
    if (ids.length) await this.ds.query(`UPDATE deliveries SET enqueued_at = NULL WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`, [ids]);
  }

  /**
   * Deliveries still to send that may be missing from the queue: never enqueued (a crash
   * between commit and enqueue), or — when `all` — every pending one (after Redis lost its
   * data). Keyset-paged by id. Two statements, not one with `$all OR …`: the pass after every
   * sweep then reads only the ranges of deliveries_pending_idx it needs (usually none) instead
   * of every pending row.
   */
  pendingDeliveryIds(all: boolean, staleBefore: Date, afterId: string | null, limit: number): Promise<{ id: string }[]> {
    return queryRows<{ id: string }>(
      this.ds,
      all
        ? `SELECT id FROM deliveries WHERE status = 'PENDING' AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`
        : `SELECT id FROM deliveries
            WHERE status = 'PENDING' AND (enqueued_at IS NULL OR enqueued_at < $3) AND ($1::uuid IS NULL OR id > $1::uuid)
            ORDER BY id LIMIT $2`,
      all ? [afterId, limit] : [afterId, limit, staleBefore],
    );
  }

  /**
   * The delivery rows with the subject as it is now (title, team, incident; its status, snooze
   * and due date, for the ladder to tell whether it went quiet) for rendering, and in the same
   * statement the send lease of those pending whose lease is free or expired (`claimed`): a
   * delivery leased by another job is not sent by this one.
   */
  async loadAndClaim(ids: readonly string[], leaseMs: number): Promise<(DeliveryWork & { claimed: boolean })[]> {
    const rows = await this.prepared<DeliveryWork & { claimed: boolean }>(
      'chase.loadAndClaim',
      `WITH claimed AS (
         UPDATE deliveries SET lease_until = now() + $2 * interval '1 millisecond'
          WHERE id = ANY($1::uuid[]) AND status = 'PENDING' AND (lease_until IS NULL OR lease_until < now()) RETURNING id)
       SELECT d.id, d.kind, (cl.id IS NOT NULL) AS claimed, d.recipient, d.recipient_name AS "recipientName", d.status, d.attempts,
              c.target AS "channelTarget", c.secret AS "channelSecret",
              d.nudge_id AS "nudgeId", n.subject_kind AS "subjectKind", n.subject_id AS "subjectId", n.step, n.due_at AS "dueAt",
              coalesce(t.name, xt.name) AS "teamName", coalesce(a.title, pi.title, xa.title, rb.title) AS title, rs.name AS "serviceName",
              coalesce(ai.id, pi.id, xi.id) AS "incidentId", coalesce(ai.number, pi.number, xi.number) AS "incidentNumber",
              (a.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users au WHERE au.id = a.assignee_id AND au.active)) AS unassigned,
              (SELECT CASE WHEN tc.kind IN ('JIRA', 'LINEAR') THEN tl.external_key ELSE tc.project || '#' || tl.external_key END
                 FROM tracker_links tl JOIN tracker_connections tc ON tc.id = tl.connection_id
                WHERE tl.action_item_id = a.id AND tl.awaiting_verification) AS "closedUpstreamIssue",
              CASE WHEN x.id IS NULL THEN NULL ELSE json_build_object(
                'requestId', x.id, 'event', d.extension_event, 'actionItemId', x.action_item_id, 'dueAt', xa.due_at, 'previousDueAt', x.previous_due_at,
                'until', x.until, 'reason', x.reason, 'status', x.status, 'note', x.note, 'requesterName', xu.name, 'itemFound', xa.id IS NOT NULL) END AS extension,
              (a.id IS NOT NULL OR p.id IS NOT NULL OR rb.id IS NOT NULL) AS "subjectFound", coalesce(a.status, p.status) AS "subjectStatus",
              a.snoozed_until AS "subjectSnoozedUntil", coalesce(a.due_at, p.due_at, rb.review_due_at) IS NOT DISTINCT FROM n.due_at AS "sameDueDate",
              d.digest_id AS "digestId", g.content AS "digestContent"
         FROM deliveries d
         LEFT JOIN claimed cl ON cl.id = d.id
         LEFT JOIN notification_channels c ON c.id = d.channel_id
         LEFT JOIN nudges n ON n.id = d.nudge_id
         LEFT JOIN teams t ON t.id = n.team_id
         LEFT JOIN action_items a ON n.subject_kind = 'ACTION_ITEM' AND a.id = n.subject_id
         LEFT JOIN incidents ai ON ai.id = a.incident_id
         LEFT JOIN postmortems p ON n.subject_kind = 'POSTMORTEM' AND p.id = n.subject_id
         LEFT JOIN incidents pi ON pi.id = p.incident_id
         LEFT JOIN runbooks rb ON n.subject_kind = 'RUNBOOK' AND rb.id = n.subject_id
         LEFT JOIN services rs ON rs.id = rb.service_id
         LEFT JOIN digests g ON g.id = d.digest_id
         LEFT JOIN due_date_extension_requests x ON x.id = d.extension_request_id
         LEFT JOIN action_items xa ON xa.id = x.action_item_id
         LEFT JOIN incidents xi ON xi.id = xa.incident_id
         LEFT JOIN teams xt ON xt.id = xa.owner_team_id
         LEFT JOIN users xu ON xu.id = x.requested_by
        WHERE d.id = ANY($1::uuid[])`,
      [ids, leaseMs],
    );
    // json_build_object hands timestamps back as text.
    return rows.map((r) =>
      r.extension
        ? { ...r, extension: { ...r.extension, dueAt: new Date(r.extension.dueAt), previousDueAt: new Date(r.extension.previousDueAt), until: new Date(r.extension.until) } }
        : r,
    );
  }

  /**
   * A named prepared statement: each pooled connection plans it once (then a generic plan)
   * instead of once per batch. For the delivery read, whose join spans 16 relations, planning
   * took longer than running it for a batch of 200. Through PgBouncer in transaction pooling
   * (before 1.21's max_prepared_statements) the next statement may reach a server connection
   * that never saw the name, so there it is sent unnamed unless DATABASE_PREPARED_STATEMENTS=on.
   */
  private async prepared<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    if (!this.config.databasePreparedStatements) return queryRows<T>(this.ds, text, values);
    const runner = this.ds.createQueryRunner();
    try {
      const client = (await runner.connect()) as { query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }> };
      return (await client.query({ name, text, values })).rows;
    } finally {
      await runner.release();
    }
  }

  /** Milliseconds until the lease of a delivery ends (0 when free). */
  async leaseRemainingMs(id: string): Promise<number> {
    const row = await queryOne<{ ms: number }>(this.ds, `SELECT greatest(0, extract(epoch FROM lease_until - now()) * 1000)::int AS ms FROM deliveries WHERE id = $1`, [id]);
    return row?.ms ?? 0;
  }

  /** Marks deliveries sent (once: a row already SENT is left alone); returns those updated. */
  async markSent(ids: readonly string[]): Promise<Set<string>> {
    const rows = await queryRows<{ id: string }>(
      this.ds,
      `UPDATE deliveries SET status = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = NULL, lease_until = NULL
        WHERE id = ANY($1::uuid[]) AND status = 'PENDING' RETURNING id`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** One failed attempt; `final` records the delivery as failed for good. */
  async recordFailure(id: string, error: string, final: boolean): Promise<void> {
    await this.ds.query(
      `UPDATE deliveries SET attempts = attempts + 1, last_error = $2, lease_until = NULL,
              status = CASE WHEN $3 THEN 'FAILED' ELSE status END, failed_at = CASE WHEN $3 THEN now() ELSE failed_at END
        WHERE id = $1 AND status = 'PENDING'`,
      [id, error.slice(0, 2000), final],
    );
  }

  async markSkipped(id: string, reason: string): Promise<void> {
    await this.ds.query(`UPDATE deliveries SET status = 'SKIPPED', last_error = $2 WHERE id = $1 AND status = 'PENDING'`, [id, reason]);
  }

  /**
   * Action-item nudges sent in [from, to) (optionally of one team) with the first answer to
   * each: an audited change of the item, or an extension request, at or after the nudge, by
   * the item's assignee or a member or the manager of its team. Index-driven per nudge
   * (audit_log_entity_idx, due_date_extension_requests_item_idx).
   */
  nudgeAnswers(from: Date, to: Date, teamId: string | null): Promise<NudgeAnswerRow[]> {
    const responder = (col: string) =>
      `(${col} = a.assignee_id OR ${col} = t.manager_id OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = a.owner_team_id AND tm.user_id = ${col}))`;
    return queryRows<NudgeAnswerRow>(
      this.ds,
      `SELECT n.team_id AS "teamId", n.step, n.created_at AS "sentAt",
              (SELECT min(x.at) FROM (
                 SELECT l.at FROM audit_log l
                  WHERE l.entity_type = 'ActionItem' AND l.entity_id = n.subject_id::text AND l.at >= n.created_at AND ${responder('l.actor_id')}
                 UNION ALL
                 SELECT r.created_at FROM due_date_extension_requests r
                  WHERE r.action_item_id = n.subject_id AND r.created_at >= n.created_at AND ${responder('r.requested_by')}
               ) x) AS "answeredAt"
         FROM nudges n
         JOIN action_items a ON a.id = n.subject_id
         JOIN teams t ON t.id = a.owner_team_id
        WHERE n.subject_kind = 'ACTION_ITEM' AND NOT n.superseded AND n.created_at >= $1 AND n.created_at < $2
          AND ($3::uuid IS NULL OR n.team_id = $3::uuid)
        ORDER BY t.name, n.team_id, n.created_at`,
      [from, to, teamId],
    );
  }

  /**
   * Escalation facts of action items or postmortems (ActionItem.escalation, Postmortem.escalation):
   * one row per subject found, its ledger for the current due date read through nudges_once_per_step.
   */
  escalationFacts(kind: 'ACTION_ITEM' | 'POSTMORTEM', subjectIds: readonly string[]): Promise<EscalationFactsRow[]> {
    const people = `(o.id IS NOT NULL) AS "hasOwner", (m.id IS NOT NULL) AS "hasManager", (o.id IS NOT NULL AND o.id = m.id) AS "ownerIsManager", t.id AS "teamId", t.name AS "teamName"`;
    return queryRows<EscalationFactsRow>(
      this.ds,
      kind === 'ACTION_ITEM'
        ? `SELECT a.id AS "subjectId", a.due_at AS "dueAt", a.status, a.snoozed_until AS "snoozedUntil", ${people}, ${escalationLedgerSql('ACTION_ITEM', 'a.id', 'a.due_at')}
             FROM action_items a JOIN teams t ON t.id = a.owner_team_id
             LEFT JOIN users o ON o.id = a.assignee_id AND o.active
             LEFT JOIN users m ON m.id = t.manager_id AND m.active
            WHERE a.id = ANY($1::uuid[])`
        : `SELECT p.id AS "subjectId", p.due_at AS "dueAt", p.status, NULL::timestamptz AS "snoozedUntil", ${people}, ${escalationLedgerSql('POSTMORTEM', 'p.id', 'p.due_at')}
             FROM postmortems p
             ${postmortemPeople('o')}
            WHERE p.id = ANY($1::uuid[])`,
      [subjectIds],
    );
  }

  /** Every delivery of the nudges of these subjects, oldest first (ActionItem.nudges, Postmortem.nudges). */
  nudgeDeliveriesOf(subjectKind: NudgeSubjectKind, subjectIds: readonly string[]): Promise<NudgeDeliveryRow[]> {
    return queryRows<NudgeDeliveryRow>(
      this.ds,
      `SELECT d.id, n.subject_kind AS "subjectKind", n.subject_id AS "subjectId", n.step, d.kind, d.recipient, n.due_at AS "dueAt",
              d.status, d.attempts, d.last_error AS "lastError", d.created_at AS "createdAt", d.sent_at AS "sentAt", d.failed_at AS "failedAt",
              (SELECT i.number FROM incidents i WHERE i.id = coalesce(a.incident_id, p.incident_id)) AS "incidentNumber",
              (a.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.assignee_id AND u.active)) AS unassigned
         FROM nudges n JOIN deliveries d ON d.nudge_id = n.id
         LEFT JOIN action_items a ON n.subject_kind = 'ACTION_ITEM' AND a.id = n.subject_id
         LEFT JOIN postmortems p ON n.subject_kind = 'POSTMORTEM' AND p.id = n.subject_id
        WHERE n.subject_kind = $1 AND n.subject_id = ANY($2::uuid[])
        ORDER BY n.created_at, d.created_at, d.id`,
      [subjectKind, subjectIds],
    );
  }
}
