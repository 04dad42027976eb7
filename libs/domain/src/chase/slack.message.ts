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
