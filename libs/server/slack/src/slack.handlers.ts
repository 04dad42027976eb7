import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { canEditActionItem, dueDateAnswer, escapeSlack, SLACK_ACTION, SlackActionValue, slackAnsweredBlocks, TIMELINE_EVENT_KINDS, TimelineEventKind } from '@hindsight/domain';
import { ActionItemsService } from '@hindsight/server-action-items';
import { AppError } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { AnalysisService, IncidentsService } from '@hindsight/server-incidents';
import { ExtensionRequestsService, MyWorkService } from '@hindsight/server-work';
import { SlackApi } from './slack.api';
import type { SlackContext, SlackRequestHandler } from './slack.gateway';
import type { BlockActionsPayload, InteractionPayload, MessageShortcutPayload, SlashCommand, ViewSubmissionPayload } from './slack.payloads';

export const SLACK_HELP = [
  '*/hindsight* — Hindsight from Slack (only you see the answers):',
  '• `/hindsight mine` — what needs you now, as on the home page',
  '• `/hindsight item <id>` — an action item',
  '• `/hindsight incident <INC-123>` — an incident',
  '• `/hindsight help` — this',
].join('\n');

/** The modals the buttons open (their `callback_id`) and what their submission does. */
export const SLACK_MODAL = { COMPLETE: 'hs_complete', EXTEND: 'hs_extend', SNOOZE: 'hs_snooze' } as const;
type ModalKind = (typeof SLACK_MODAL)[keyof typeof SLACK_MODAL];

/** The message shortcut "Add to incident timeline" (its callback id in the manifest) and its modal. */
export const SLACK_SHORTCUT_TIMELINE = 'hs_add_to_timeline';

/** Carried by a modal from the click to its submission: the item, the delivery, and the message to update. */
interface ModalState {
  i: string;
  d: string;
  c: string | null;
  t: string | null;
  s: string;
}

const ephemeral = (text: string) => ({ response_type: 'ephemeral', replace_original: false, text });
const hhmm = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;
const day = (d: Date) => d.toISOString().slice(0, 10);
/** A date picked in Slack (YYYY-MM-DD) is the end of that day, UTC: "until the 12th" covers the 12th. */
const endOfDay = (ymd: string) => new Date(`${ymd}T23:59:59.000Z`);

function parseValue(raw: string | undefined): SlackActionValue | null {
  try {
    const v = JSON.parse(raw ?? '') as SlackActionValue;
    return typeof v?.d === 'string' ? v : null;
  } catch {
    return null;
  }
}

const input = (blockId: string, label: string, element: Record<string, unknown>, optional = false) => ({
  type: 'input', block_id: blockId, optional, label: { type: 'plain_text', text: label }, element: { ...element, action_id: 'value' },
});

/**
 * What the Slack app does with a verified request of a matched person: the answers of a nudge
 * (Done with its note — and the verification for P0/P1 —, Need more time, Snooze, Claim) and the
 * manager's Approve / Decline of an extension request. Every answer goes through the same
 * services as the web app (ActionItemsService, ExtensionRequestsService), so the same rules
 * decide (a VIEWER cannot; a requester cannot approve their own extension), with the delivery
 * id in the audit log; the message is then updated in place with the outcome.
 */
@Injectable()
export class SlackHandlers implements SlackRequestHandler {
  private readonly log = new Logger('SlackHandlers');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly items: ActionItemsService,
    private readonly requests: ExtensionRequestsService,
    private readonly api: SlackApi,
    private readonly work: MyWorkService,
    private readonly incidents: IncidentsService,
    private readonly analysis: AnalysisService,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async interaction(ctx: SlackContext, payload: InteractionPayload): Promise<Record<string, unknown>> {
    if (payload.type === 'block_actions') return this.click(ctx, payload);
    if (payload.type === 'view_submission') {
      return payload.view.callback_id === SLACK_SHORTCUT_TIMELINE ? this.submitTimeline(ctx, payload) : this.submit(ctx, payload);
    }
    if (payload.type === 'message_action' && payload.callback_id === SLACK_SHORTCUT_TIMELINE) return this.shortcut(ctx, payload);
    return {};
  }

  /**
   * `/hindsight`: help answers in the acknowledgement; the rest is acknowledged at once (Slack
   * waits 3 s) and answered through the command's `response_url`, ephemerally.
   */
  async command(ctx: SlackContext, command: SlashCommand): Promise<Record<string, unknown>> {
    const [verb = 'help', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    const arg = rest.join(' ');
    if (!['mine', 'item', 'incident'].includes(verb.toLowerCase())) return { response_type: 'ephemeral', text: SLACK_HELP };
    void this.answerCommand(ctx, verb.toLowerCase(), arg)
      .then((text) => this.api.respond(command.response_url, { response_type: 'ephemeral', text }))
      .catch((e: Error) => this.log.warn(`/hindsight ${verb} could not be answered: ${e.message}`));
    return {};
  }

  private async answerCommand(ctx: SlackContext, verb: string, arg: string): Promise<string> {
    const base = this.config.publicUrl;
    const link = (path: string, text: string) => `<${base}${path}|${escapeSlack(text)}>`;
    try {
      if (verb === 'item') {
        const item = arg ? await this.items.byId(arg.replace(/^.*\/action-items\//, '').replace(/[?#].*$/, '')) : null;
        if (!item) return 'No action item with that id: `/hindsight item <id>` (the id is in its link).';
        return `*${link(`/action-items/${item.id}`, item.title)}*\n${item.priority} · ${item.status} · due ${day(item.dueAt)}`;
      }
      if (verb === 'incident') {
        const incident = arg ? await this.incidents.byReference(arg) : null;
        if (!incident) return 'No incident with that reference: `/hindsight incident INC-123`.';
        return `*${link(`/incidents/${incident.reference}`, `${incident.reference} ${incident.title}`)}*\n${incident.severity} · ${incident.status} · started ${day(incident.startedAt)}`;
      }
      const w = await this.work.forActor(ctx.actor);
      const items = (title: string, rows: { id: string; title: string; dueAt: Date }[]) =>
        rows.length ? [`*${title}*`, ...rows.slice(0, 10).map((r) => `• ${link(`/action-items/${r.id}`, r.title)} — due ${day(r.dueAt)}`)] : [];
      const lines = [
        ...items('Overdue', w.overdue),
        ...items('Due soon', w.dueSoon),
        ...items('Escalated to you', w.escalatedInMyTeams),
        ...items('Unassigned in your teams', w.unassignedInMyTeams),
        ...(w.extensionRequests.length ? [`*Extension requests to decide*: ${w.extensionRequests.length}`] : []),
        ...(w.postmortemsToWrite.length ? [`*Postmortems to write*: ${w.postmortemsToWrite.length}`] : []),
        ...(w.reviewsRequested.length ? [`*Reviews requested*: ${w.reviewsRequested.length}`] : []),
      ];
      return lines.length ? [`What needs you (${link('/', 'home')}):`, ...lines].join('\n') : `Nothing needs you now. ${link('/', 'Home')}`;
    } catch (e) {
      if (e instanceof AppError) return e.message;
      throw e;
    }
  }

  /** A button of a message the app posted. */
  private async click(ctx: SlackContext, p: BlockActionsPayload): Promise<Record<string, unknown>> {
    const action = p.actions[0];
    if (!action || action.action_id === SLACK_ACTION.OPEN) return {};
    const value = parseValue(action.value);
    const aside = (text: string) => (p.response_url ? this.api.respond(p.response_url, ephemeral(text)) : Promise.resolve());
    if (!value) {
      await aside('This button is not one Hindsight knows.');
      return {};
    }
    const channel = p.container?.channel_id ?? p.channel?.id ?? null;
    const ts = p.container?.message_ts ?? p.message?.ts ?? null;
    try {
      switch (action.action_id) {
        case SLACK_ACTION.CLAIM: {
          await this.items.claim(ctx.actor, value.i ?? '', value.d);
          await this.outcome(ctx, channel, ts, p.message?.blocks ?? null, p.message?.text ?? '', `Claimed by <@${ctx.slackUserId}> · ${hhmm(new Date())}`);
          return {};
        }
        case SLACK_ACTION.APPROVE:
        case SLACK_ACTION.DECLINE: {
          const approve = action.action_id === SLACK_ACTION.APPROVE;
          const decided = await this.requests.decide(ctx.actor, value.r ?? '', approve, null);
          const what = approve ? `Approved (new due date ${day(decided.until)})` : 'Declined';
          await this.outcome(ctx, channel, ts, p.message?.blocks ?? null, p.message?.text ?? '', `${what} by <@${ctx.slackUserId}> · ${hhmm(new Date())}`);
          return {};
        }
        case SLACK_ACTION.COMPLETE:
        case SLACK_ACTION.EXTEND:
        case SLACK_ACTION.SNOOZE: {
          const item = value.i ? await this.items.byId(value.i) : null;
          if (!item) throw new AppError('This action item no longer exists.', 'NOT_FOUND');
          if (!canEditActionItem(ctx.actor, item.ownerTeamId)) {
            throw new AppError(ctx.actor.role === 'VIEWER' ? 'Viewers read only: this answer is for the owning team.' : "Only the owning team's members and manager, commanders and ADMINs answer for this item.", 'FORBIDDEN');
          }
          const state: ModalState = { i: item.id, d: value.d, c: channel, t: ts, s: (p.message?.text ?? item.title).slice(0, 500) };
          const modal = action.action_id === SLACK_ACTION.COMPLETE ? SLACK_MODAL.COMPLETE : action.action_id === SLACK_ACTION.EXTEND ? SLACK_MODAL.EXTEND : SLACK_MODAL.SNOOZE;
          await this.api.client(ctx.credentials.botToken).views.open({ trigger_id: p.trigger_id, view: this.modal(modal, state, item.title, item.priority === 'P0' || item.priority === 'P1') as never });
          return {};
        }
        default:
          await aside('This button is not one Hindsight knows.');
          return {};
      }
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      await aside(e.message);
      return {};
    }
  }

  private modal(kind: ModalKind, state: ModalState, title: string, needsVerification: boolean): Record<string, unknown> {
    const heading = { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(title)}*` } };
    const blocks =
      kind === SLACK_MODAL.COMPLETE
        ? [
            heading,
            input('note', 'What was done', { type: 'plain_text_input', multiline: true }),
            ...(needsVerification ? [input('verification', 'How it was verified (P0/P1)', { type: 'plain_text_input', multiline: true })] : []),
          ]
        : [
            heading,
            input('until', kind === SLACK_MODAL.EXTEND ? 'New due date' : 'Snooze until', { type: 'datepicker' }),
            input('reason', 'Reason', { type: 'plain_text_input', multiline: true }),
          ];
    const titles: Record<ModalKind, string> = { hs_complete: 'Mark done', hs_extend: 'Need more time', hs_snooze: 'Snooze reminders' };
    return {
      type: 'modal', callback_id: kind, private_metadata: JSON.stringify(state),
      title: { type: 'plain_text', text: titles[kind] }, submit: { type: 'plain_text', text: 'Save' }, close: { type: 'plain_text', text: 'Cancel' },
      blocks,
    };
  }

  /**
   * "Add to incident timeline" on a message: a modal picks the incident (open ones first, then
   * the latest) and the event kind; the message's time, text and permalink are kept.
   */
  private async shortcut(ctx: SlackContext, p: MessageShortcutPayload): Promise<Record<string, unknown>> {
    if (ctx.actor.role === 'VIEWER') {
      await this.api.respond(p.response_url, ephemeral('Viewers read only: timeline events are added by commanders.'));
      return {};
    }
    const client = this.api.client(ctx.credentials.botToken);
    const page = await this.incidents.list(null, 100, null);
    const open = (s: string) => s !== 'RESOLVED' && s !== 'CLOSED';
    const incidents = [...page.nodes].sort((a, b) => Number(open(b.status)) - Number(open(a.status)) || b.startedAt.getTime() - a.startedAt.getTime());
    if (incidents.length === 0) {
      await this.api.respond(p.response_url, ephemeral('There is no incident to add it to yet.'));
      return {};
    }
    const permalink = await client.chat.getPermalink({ channel: p.channel.id, message_ts: p.message.ts }).then((r) => r.permalink ?? null, () => null);
    const option = (value: string, text: string) => ({ text: { type: 'plain_text', text: text.slice(0, 75) }, value });
    const state = { ts: p.message.ts, text: (p.message.text ?? '').slice(0, 2000), permalink };
    await client.views.open({
      trigger_id: p.trigger_id,
      view: {
        type: 'modal', callback_id: SLACK_SHORTCUT_TIMELINE, private_metadata: JSON.stringify(state),
        title: { type: 'plain_text', text: 'Add to timeline' }, submit: { type: 'plain_text', text: 'Add' }, close: { type: 'plain_text', text: 'Cancel' },
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `> ${escapeSlack(state.text.slice(0, 500))}` } },
          input('incident', 'Incident', { type: 'static_select', options: incidents.slice(0, 100).map((i) => option(i.id, `${i.reference} ${i.title}${open(i.status) ? '' : ` (${i.status.toLowerCase()})`}`)), initial_option: option(incidents[0].id, `${incidents[0].reference} ${incidents[0].title}${open(incidents[0].status) ? '' : ` (${incidents[0].status.toLowerCase()})`}`) }),
          input('kind', 'Event kind', { type: 'static_select', options: TIMELINE_EVENT_KINDS.map((k) => option(k, k.charAt(0) + k.slice(1).toLowerCase())), initial_option: option('NOTE', 'Note') }),
        ],
      } as never,
    });
    return {};
  }

  private async submitTimeline(ctx: SlackContext, p: ViewSubmissionPayload): Promise<Record<string, unknown>> {
    let state: { ts: string; text: string; permalink: string | null };
    try {
      state = JSON.parse(p.view.private_metadata ?? '') as typeof state;
    } catch {
      return {};
    }
    if (ctx.actor.role === 'VIEWER') return { response_action: 'errors', errors: { incident: 'Viewers read only: timeline events are added by commanders.' } };
    const values = p.view.state.values;
    const incidentId = values['incident']?.['value']?.selected_option?.value ?? '';
    const kind = (values['kind']?.['value']?.selected_option?.value ?? 'NOTE') as TimelineEventKind;
    try {
      await this.analysis.addTimelineEvent(ctx.actor, incidentId, {
        occurredAt: new Date(Math.floor(Number(state.ts) * 1000)), kind, description: state.text.trim() || '(a message without text)', evidenceUrl: state.permalink,
      });
      return { response_action: 'clear' };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return { response_action: 'errors', errors: { incident: e.message } };
    }
  }

  /** A modal's Save: the answer through the item's services; their refusals come back as the modal's errors. */
  private async submit(ctx: SlackContext, p: ViewSubmissionPayload): Promise<Record<string, unknown>> {
    const kind = p.view.callback_id as ModalKind;
    let state: ModalState;
    try {
      state = JSON.parse(p.view.private_metadata ?? '') as ModalState;
    } catch {
      return {};
    }
    const values = p.view.state.values;
    const text = (block: string) => values[block]?.['value']?.value ?? '';
    const date = (block: string) => values[block]?.['value']?.selected_date ?? null;
    const fieldBlock: Record<string, string> = { note: 'note', verification: 'verification', reason: 'reason', until: 'until', dueAt: 'until' };
    try {
      let outcome: string;
      const at = hhmm(new Date());
      if (kind === SLACK_MODAL.COMPLETE) {
        await this.items.complete(ctx.actor, state.i, text('note'), values['verification'] ? text('verification') : null, state.d);
        outcome = `Marked done by <@${ctx.slackUserId}> · ${at}`;
      } else if (kind === SLACK_MODAL.SNOOZE || kind === SLACK_MODAL.EXTEND) {
        const picked = date('until');
        if (!picked) return { response_action: 'errors', errors: { until: 'Pick a date.' } };
        const until = endOfDay(picked);
        if (kind === SLACK_MODAL.SNOOZE) {
          await this.items.snooze(ctx.actor, state.i, until, text('reason'), state.d);
          outcome = `Snoozed until ${picked} by <@${ctx.slackUserId}> · ${at}`;
        } else {
          const item = await this.items.byId(state.i);
          if (!item) throw new AppError('This action item no longer exists.', 'NOT_FOUND');
          const teamManagerId = await this.items.owningTeamManager(this.ds.manager, item);
          const how = dueDateAnswer(ctx.actor, { priority: item.priority, ownerTeamId: item.ownerTeamId, teamManagerId });
          if (how === 'REQUEST') {
            await this.requests.request(ctx.actor, state.i, until, text('reason'), state.d);
            outcome = `More time (until ${picked}) asked of the manager by <@${ctx.slackUserId}> · ${at}`;
          } else {
            // CHANGE, or null: the service refuses those who may not edit the item.
            await this.items.changeDueDate(ctx.actor, state.i, until, text('reason'), state.d);
            outcome = `Due date moved to ${picked} by <@${ctx.slackUserId}> · ${at}`;
          }
        }
      } else return {};
      await this.outcome(ctx, state.c, state.t, null, state.s, outcome);
      return { response_action: 'clear' };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const field = typeof e.extensions['field'] === 'string' ? (e.extensions['field'] as string) : null;
      const blockIds = (p.view.blocks ?? []).filter((b) => b.type === 'input').map((b) => (b as { block_id?: string }).block_id).filter((b): b is string => !!b);
      const block = (field && fieldBlock[field] && blockIds.includes(fieldBlock[field]) ? fieldBlock[field] : null) ?? blockIds[0];
      return block ? { response_action: 'errors', errors: { [block]: e.message } } : {};
    }
  }

  /** The message as answered: its words kept, its buttons replaced by what happened. Never fails the answer itself. */
  private async outcome(ctx: SlackContext, channel: string | null, ts: string | null, blocks: readonly unknown[] | null, text: string, outcome: string): Promise<void> {
    if (!channel || !ts) return;
    const kept = blocks ?? [{ type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(text)}*` } }];
    try {
      await this.api.client(ctx.credentials.botToken).chat.update({ channel, ts, text: `${text} — ${outcome.replace(/<@\w+>/g, ctx.actor.name)}`, blocks: slackAnsweredBlocks(kept, outcome) as never });
    } catch (e) {
      this.log.warn(`the answered message could not be updated: ${(e as Error).message}`);
    }
  }
}
