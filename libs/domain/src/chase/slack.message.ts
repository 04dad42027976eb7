import { ChannelMessage, chatBody } from './channel.message';
import type { NudgeMessage } from './nudge.message';
import type { NudgeAction } from './nudge-actions.policy';

/** Slack mrkdwn treats &, < and > as control characters; everything else is literal text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly unknown[];
}

/**
 * A Slack incoming-webhook message for a nudge or digest: `text` is the notification
 * fallback, the blocks show the message and its answers as URL buttons (they need no Slack
 * app: Slack just opens the link), or one button back to Hindsight when there are none.
 */
export function slackMessage(message: NudgeMessage, url: string, actions: readonly NudgeAction[] = []): SlackMessage {
  return {
    text: message.subject,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(message.subject)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(chatBody(message.text)) } },
      {
        type: 'actions',
        elements: actions.length
          ? actions.map((a) => ({ type: 'button', action_id: `hindsight-${a.kind.toLowerCase()}`, text: { type: 'plain_text', text: a.label }, url: a.url }))
          : [{ type: 'button', text: { type: 'plain_text', text: 'Open in Hindsight' }, url }],
      },
    ],
  };
}

/** What a SLACK channel posts for a message of any kind. */
export function slackPayload(m: ChannelMessage): SlackMessage {
  return slackMessage(m, m.url, m.actions);
}

/** The interactive answers of a Slack app message: `action_id` says which, `value` what it is about. */
export const SLACK_ACTION = {
  COMPLETE: 'hs_complete',
  EXTEND: 'hs_extend',
  SNOOZE: 'hs_snooze',
  CLAIM: 'hs_claim',
  APPROVE: 'hs_approve',
  DECLINE: 'hs_decline',
  OPEN: 'hs_open',
} as const;
export type SlackActionId = (typeof SLACK_ACTION)[keyof typeof SLACK_ACTION];

/** What a button of a Slack app message carries: the action item (`i`) or extension request (`r`), and the delivery (`d`), kept in the audit log. */
export interface SlackActionValue {
  readonly i?: string;
  readonly r?: string;
  readonly d: string;
}

/** The block whose buttons are replaced by the outcome once answered. */
export const SLACK_ANSWERS_BLOCK = 'hs_answers';

/**
 * A message the Slack app posts (a DM to the person, or the team's channel): the same words as
 * the incoming-webhook message, with the answers as interactive buttons — Done, Need more time,
 * Snooze, Claim on an action item's nudge; Approve and Decline on an extension request sent to
 * the manager — and Open as a link. What the buttons may do is decided again when clicked, by
 * the same rules as the web app.
 */
export function slackAppMessage(m: ChannelMessage): SlackMessage {
  const a = m.about;
  const button = (action_id: SlackActionId, text: string, value: SlackActionValue, style?: 'primary' | 'danger') => ({
    type: 'button', action_id, text: { type: 'plain_text', text }, value: JSON.stringify(value), ...(style ? { style } : {}),
  });
  const open = (url: string) => ({ type: 'button', action_id: SLACK_ACTION.OPEN, text: { type: 'plain_text', text: 'Open' }, url });
  let elements: unknown[];
  if (a.kind === 'nudge' && a.subject.kind === 'ACTION_ITEM') {
    const ids: Partial<Record<NudgeAction['kind'], SlackActionId>> = { COMPLETE: SLACK_ACTION.COMPLETE, EXTEND: SLACK_ACTION.EXTEND, SNOOZE: SLACK_ACTION.SNOOZE, CLAIM: SLACK_ACTION.CLAIM };
    elements = m.actions.map((x) => {
      const id = ids[x.kind];
      return id ? button(id, x.label, { i: a.subject.id, d: m.deliveryId }, x.kind === 'COMPLETE' ? 'primary' : undefined) : open(x.url);
    });
  } else if (a.kind === 'extension_request' && a.event === 'REQUESTED') {
    elements = [
      button(SLACK_ACTION.APPROVE, 'Approve', { r: a.request.id, d: m.deliveryId }, 'primary'),
      button(SLACK_ACTION.DECLINE, 'Decline', { r: a.request.id, d: m.deliveryId }, 'danger'),
      open(m.url),
    ];
  } else {
    elements = m.actions.length ? m.actions.map((x) => ({ ...open(x.url), text: { type: 'plain_text', text: x.label } })) : [open(m.url)];
  }
  return {
    text: m.subject,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(m.subject)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(chatBody(m.text)) } },
      { type: 'actions', block_id: SLACK_ANSWERS_BLOCK, elements },
    ],
  };
}

/** The message once answered: its words as they were, the buttons replaced by what happened ("Marked done by <@U1> · 14:02 UTC"). */
export function slackAnsweredBlocks(blocks: readonly unknown[], outcome: string): unknown[] {
  const kept = blocks.filter((b) => (b as { block_id?: string }).block_id !== SLACK_ANSWERS_BLOCK && (b as { type?: string }).type !== 'actions');
  return [...kept, { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] }];
}
