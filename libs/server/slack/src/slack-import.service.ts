import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { TimelineEventKind } from '@hindsight/domain';
import { AuditService } from '@hindsight/server-audit';
import { AppError, badInput, conflict, isUuid, notFound } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { AnalysisService, IncidentsService, TimelineEventRow } from '@hindsight/server-incidents';
import { SlackApi, slackFailure } from './slack.api';
import { SlackImportProposalRow, SlackImportRepository } from './slack-import.repository';
import { SlackSettingsService } from './slack-settings.service';

/** Messages read per conversations.history call (Slack's advice: at most 200). */
export const HISTORY_PAGE = 200;
/** An import reads at most this many messages; the next import goes on from the newest. */
export const IMPORT_MAX_MESSAGES = 20_000;
/** What the proposal keeps of a message's text. */
const TEXT_MAX = 4000;

/** A Slack channel as given: its id (C…/G…), or a link to it (…/archives/C…). */
export function slackChannelId(input: string): string | null {
  const s = input.trim();
  const link = /\/archives\/([CG][A-Z0-9]{8,})/.exec(s);
  if (link) return link[1];
  return /^[CG][A-Z0-9]{8,}$/.test(s) ? s : null;
}

interface HistoryMessage {
  ts?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
}

/** Messages that say nothing about the incident: joins, leaves, topic changes, bots' posts. */
const SKIPPED_SUBTYPES = new Set(['channel_join', 'channel_leave', 'channel_topic', 'channel_purpose', 'channel_name', 'group_join', 'group_leave', 'bot_message', 'pinned_item', 'channel_archive']);

/**
 * Building the timeline from the incident's Slack channel (issue 24): its history read page by
 * page (cursor paging; a 429 waits out its Retry-After, Slack's Tier 3 limit), each message
 * proposed once, and a commander keeps (as a timeline event with the message's time, text and
 * permalink as evidence), edits or drops each.
 */
@Injectable()
export class SlackImportService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: SlackImportRepository,
    private readonly settings: SlackSettingsService,
    private readonly api: SlackApi,
    private readonly incidents: IncidentsService,
    private readonly analysis: AnalysisService,
    private readonly audit: AuditService,
  ) {}

  async channelsOf(incidentIds: readonly string[]) {
    return this.repo.channelsOf(incidentIds);
  }

  async setChannel(actor: SessionActor, incidentId: string, channel: string | null): Promise<void> {
    await this.incident(incidentId);
    let found: { id: string; name: string | null } | null = null;
    if (channel !== null && channel.trim() !== '') {
      const id = slackChannelId(channel);
      if (!id) throw badInput('channel', "must be the Slack channel's id (C0123ABCD, under the channel's details) or a link to it");
      const token = (await this.credentials()).botToken;
      try {
        const info = await this.api.client(token).conversations.info({ channel: id });
        found = { id, name: (info.channel as { name?: string } | undefined)?.name ?? null };
      } catch (e) {
        const f = slackFailure(e);
        throw badInput('channel', f.error === 'channel_not_found' ? 'Slack knows no such channel, or the app is not in it (invite it with /invite @Hindsight)' : `Slack answered ${f.error ?? (e as Error).message}`);
      }
    }
    await this.ds.transaction(async (em) => {
      await this.repo.setChannel(em, incidentId, found, actor.id);
      await this.audit.record(em, { actorId: actor.id, action: 'incident.slack-channel', entityType: 'Incident', entityId: incidentId, after: found });
    });
  }

  /** Reads what the channel said since the last import and returns every proposal still waiting for a commander. */
  async importChannel(actor: SessionActor, incidentId: string): Promise<SlackImportProposalRow[]> {
    void actor;
    await this.incident(incidentId);
    const [channel] = await this.repo.channelsOf([incidentId]);
    if (!channel) throw badInput('incidentId', "the incident has no Slack channel: set it first (setIncidentSlackChannel)");
    const { botToken } = await this.credentials();
    const client = this.api.client(botToken);
    const workspace = await this.settings.workspace(botToken).then((w) => w.url, () => '');
    const oldest = await this.repo.newestTs(incidentId);
    const names = new Map<string, string | null>();
    const author = async (userId: string | undefined): Promise<string | null> => {
      if (!userId) return null;
      if (!names.has(userId)) {
        const user = await client.users.info({ user: userId }).then((r) => r.user as { real_name?: string; name?: string } | undefined, () => undefined);
        names.set(userId, user?.real_name || user?.name || null);
      }
      return names.get(userId) ?? null;
    };
    let cursor: string | undefined;
    let read = 0;
    do {
      let page;
      try {
        page = await client.conversations.history({ channel: channel.channelId, limit: HISTORY_PAGE, cursor, ...(oldest ? { oldest } : {}) });
      } catch (e) {
        const f = slackFailure(e);
        throw new AppError(`Slack refused the channel's history (${f.error ?? (e as Error).message}); invite the app to the channel and try again.`, 'BAD_USER_INPUT', { field: 'incidentId', reason: f.error ?? 'slack' });
      }
      const messages = (page.messages ?? []) as HistoryMessage[];
      read += messages.length;
      const rows = [];
      for (const m of messages) {
        if (!m.ts || !m.text?.trim() || (m.subtype && SKIPPED_SUBTYPES.has(m.subtype)) || (m.bot_id && !m.user)) continue;
        rows.push({
          ts: m.ts,
          occurredAt: new Date(Math.floor(Number(m.ts) * 1000)),
          text: m.text.slice(0, TEXT_MAX),
          permalink: workspace ? `${workspace.replace(/\/?$/, '/')}archives/${channel.channelId}/p${m.ts.replace('.', '')}` : null,
          author: await author(m.user),
        });
      }
      await this.repo.addProposals(incidentId, rows);
      cursor = page.has_more ? page.response_metadata?.next_cursor || undefined : undefined;
    } while (cursor && read < IMPORT_MAX_MESSAGES);
    return this.repo.pending(incidentId);
  }

  waiting(incidentIds: readonly string[]): Promise<Set<string>> {
    return this.repo.waiting(incidentIds);
  }

  pending(incidentId: string): Promise<SlackImportProposalRow[]> {
    return this.repo.pending(incidentId);
  }

  /** Keeps a proposal as a timeline event (the commander's words and kind; the message's time unless changed; its permalink as evidence). Once. */
  async keep(actor: SessionActor, incidentId: string, ts: string, change: { kind: TimelineEventKind; description?: string | null; occurredAt?: Date | null }): Promise<TimelineEventRow> {
    return this.ds.transaction(async (em) => {
      const p = await this.proposal(em, incidentId, ts);
      const event = await this.analysis.addTimelineEventWithin(em, actor, incidentId, {
        occurredAt: change.occurredAt ?? p.occurredAt, kind: change.kind, description: change.description?.trim() || p.text, evidenceUrl: p.permalink,
      });
      await this.repo.decide(em, incidentId, ts, 'KEPT', actor.id, event.id);
      return event;
    });
  }

  async drop(actor: SessionActor, incidentId: string, ts: string): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      await this.proposal(em, incidentId, ts);
      await this.repo.decide(em, incidentId, ts, 'DROPPED', actor.id, null);
      return true;
    });
  }

  private async proposal(em: Parameters<SlackImportRepository['proposalForUpdate']>[0], incidentId: string, ts: string): Promise<SlackImportProposalRow> {
    const p = isUuid(incidentId) ? await this.repo.proposalForUpdate(em, incidentId, ts) : null;
    if (!p) throw notFound('Slack import proposal', ts);
    if (p.status !== 'PENDING') throw conflict(`This message was already ${p.status.toLowerCase()}.`, { status: p.status });
    return p;
  }

  private async incident(incidentId: string): Promise<void> {
    if (!isUuid(incidentId) || !(await this.incidents.byId(incidentId))) throw notFound('incident', incidentId);
  }

  private async credentials() {
    const c = await this.settings.credentials();
    if (!c) throw badInput('incidentId', 'the Slack app is not set up on this server (Settings → Slack)');
    return c;
  }
}
