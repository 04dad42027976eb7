import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource, queryOne, queryRows } from '@hindsight/server-db';

export interface SlackImportProposalRow {
  incidentId: string;
  ts: string;
  occurredAt: Date;
  text: string;
  permalink: string | null;
  author: string | null;
  status: 'PENDING' | 'KEPT' | 'DROPPED';
}

export interface IncidentSlackChannelRow {
  incidentId: string;
  channelId: string;
  channelName: string | null;
}

const PROPOSAL = `incident_id AS "incidentId", ts, occurred_at AS "occurredAt", text, permalink, author, status`;

/** The SQL of channel imports: incidents' Slack channels and the proposals their history made. */
@Injectable()
export class SlackImportRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  channelsOf(incidentIds: readonly string[]): Promise<IncidentSlackChannelRow[]> {
    return queryRows(this.ds, `SELECT incident_id AS "incidentId", channel_id AS "channelId", channel_name AS "channelName" FROM incident_slack_channels WHERE incident_id = ANY($1::uuid[])`, [incidentIds]);
  }

  async setChannel(em: EntityManager, incidentId: string, channel: { id: string; name: string | null } | null, actorId: string): Promise<void> {
    if (!channel) {
      await em.query(`DELETE FROM incident_slack_channels WHERE incident_id = $1`, [incidentId]);
      return;
    }
    await em.query(
      `INSERT INTO incident_slack_channels (incident_id, channel_id, channel_name, set_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (incident_id) DO UPDATE SET channel_id = EXCLUDED.channel_id, channel_name = EXCLUDED.channel_name, set_by = EXCLUDED.set_by, set_at = now()`,
      [incidentId, channel.id, channel.name, actorId],
    );
  }

  /** The newest message already proposed for the incident: a re-import reads only what came after it. */
  async newestTs(incidentId: string): Promise<string | null> {
    const row = await queryOne<{ ts: string }>(this.ds, `SELECT ts FROM slack_import_proposals WHERE incident_id = $1 ORDER BY ts::numeric DESC LIMIT 1`, [incidentId]);
    return row?.ts ?? null;
  }

  /** Adds proposals, each message once (its ts is the key); returns how many were new. */
  async addProposals(incidentId: string, rows: readonly Omit<SlackImportProposalRow, 'incidentId' | 'status'>[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await queryRows(
      this.ds,
      `INSERT INTO slack_import_proposals (incident_id, ts, occurred_at, text, permalink, author)
       SELECT $1, ts, at, tx, pl, au FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[]) AS x(ts, at, tx, pl, au)
       ON CONFLICT (incident_id, ts) DO NOTHING RETURNING ts`,
      [incidentId, rows.map((r) => r.ts), rows.map((r) => r.occurredAt), rows.map((r) => r.text), rows.map((r) => r.permalink), rows.map((r) => r.author)],
    );
    return inserted.length;
  }

  /** Of these incidents, those with imported messages waiting for a commander (an index probe each). */
  async waiting(incidentIds: readonly string[]): Promise<Set<string>> {
    const rows = await queryRows<{ incidentId: string }>(
      this.ds,
      `SELECT i AS "incidentId" FROM unnest($1::uuid[]) AS i WHERE EXISTS (SELECT 1 FROM slack_import_proposals p WHERE p.incident_id = i AND p.status = 'PENDING')`,
      [incidentIds],
    );
    return new Set(rows.map((r) => r.incidentId));
  }

  pending(incidentId: string): Promise<SlackImportProposalRow[]> {
    return queryRows(this.ds, `SELECT ${PROPOSAL} FROM slack_import_proposals WHERE incident_id = $1 AND status = 'PENDING' ORDER BY ts::numeric, ts`, [incidentId]);
  }

  proposalForUpdate(em: EntityManager, incidentId: string, ts: string): Promise<SlackImportProposalRow | null> {
    return queryOne(em, `SELECT ${PROPOSAL} FROM slack_import_proposals WHERE incident_id = $1 AND ts = $2 FOR UPDATE`, [incidentId, ts]);
  }

  async decide(em: EntityManager, incidentId: string, ts: string, status: 'KEPT' | 'DROPPED', actorId: string, timelineEventId: string | null): Promise<void> {
    await em.query(
      `UPDATE slack_import_proposals SET status = $3, decided_by = $4, decided_at = now(), timeline_event_id = $5 WHERE incident_id = $1 AND ts = $2`,
      [incidentId, ts, status, actorId, timelineEventId],
    );
  }
}
