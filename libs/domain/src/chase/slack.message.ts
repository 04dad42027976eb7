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
  // The greeting and the sign-off are for email; in a channel the body alone reads better.
  const body = message.text
    .split('\n')
    .filter((line) => !/^(Hi .*,|Hello,)$/.test(line) && !line.startsWith('—') && !line.startsWith('Open it in Hindsight:'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return {
    text: message.subject,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(message.subject)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(body) } },
      {
        type: 'actions',
        elements: actions.length
          ? actions.map((a) => ({ type: 'button', action_id: `hindsight-${a.kind.toLowerCase()}`, text: { type: 'plain_text', text: a.label }, url: a.url }))
          : [{ type: 'button', text: { type: 'plain_text', text: 'Open in Hindsight' }, url }],
      },
    ],
  };
}
