import { ChannelMessage, chatBody } from './channel.message';
import type { NudgeMessage } from './nudge.message';
import type { NudgeAction } from './nudge-actions.policy';

/*
 * Microsoft Teams, through a Workflows webhook (Power Automate's "When a Teams webhook request
 * is received"; the Office 365 connectors are retired): the flow posts the Adaptive Card it is
 * sent. The answers are Action.OpenUrl buttons to the same one-click pages as the email links:
 * nothing in Teams needs an app or a bot.
 */

export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_VERSION = '1.5';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Plain text: a TextRun is never read as Markdown, so a title cannot turn into a link or a heading. */
export interface AdaptiveTextRun {
  readonly type: 'TextRun';
  readonly text: string;
  readonly weight?: 'Bolder';
  readonly size?: 'Medium';
}

export interface AdaptiveRichTextBlock {
  readonly type: 'RichTextBlock';
  readonly inlines: readonly AdaptiveTextRun[];
  readonly spacing?: 'None' | 'Medium';
}

export interface AdaptiveOpenUrl {
  readonly type: 'Action.OpenUrl';
  readonly title: string;
  readonly url: string;
  readonly style?: 'positive';
}

export interface AdaptiveCard {
  readonly $schema: typeof ADAPTIVE_CARD_SCHEMA;
  readonly type: 'AdaptiveCard';
  readonly version: typeof ADAPTIVE_CARD_VERSION;
  /** Shown by a client that cannot render the card, and in notifications. */
  readonly fallbackText: string;
  readonly body: readonly AdaptiveRichTextBlock[];
  readonly actions: readonly AdaptiveOpenUrl[];
}

/** The body a Workflows webhook takes: a message with the card as its one attachment. */
export interface TeamsWorkflowMessage {
  readonly type: 'message';
  readonly attachments: readonly [{ readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; readonly content: AdaptiveCard }];
}

/** Only http(s) links become buttons: a javascript: or data: URL must never be clickable. */
const isWebUrl = (url: string): boolean => /^https?:\/\//i.test(url);

/**
 * The card of a nudge, digest or test: the subject in bold, the body line by line (a blank
 * line starts a paragraph), and one button per answer — or one back to Hindsight when there
 * are none. Every value is a TextRun, so nothing a person typed is interpreted.
 */
export function teamsCard(message: NudgeMessage, url: string, actions: readonly NudgeAction[] = []): AdaptiveCard {
  const lines: AdaptiveRichTextBlock[] = [];
  let paragraphStart = true;
  for (const line of chatBody(message.text).split('\n')) {
    if (line.trim() === '') {
      paragraphStart = true;
      continue;
    }
    lines.push({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: line }], spacing: paragraphStart ? 'Medium' : 'None' });
    paragraphStart = false;
  }
  const buttons: AdaptiveOpenUrl[] = actions
    .filter((a) => isWebUrl(a.url))
    .map((a) => (a.kind === 'OPEN' ? { type: 'Action.OpenUrl', title: a.label, url: a.url, style: 'positive' } : { type: 'Action.OpenUrl', title: a.label, url: a.url }));
  return {
    $schema: ADAPTIVE_CARD_SCHEMA,
    type: 'AdaptiveCard',
    version: ADAPTIVE_CARD_VERSION,
    fallbackText: message.subject,
    body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: message.subject, weight: 'Bolder', size: 'Medium' }] }, ...lines],
    actions: buttons.length || !isWebUrl(url) ? buttons : [{ type: 'Action.OpenUrl', title: 'Open in Hindsight', url, style: 'positive' }],
  };
}

/** What a TEAMS channel posts for a message of any kind. */
export function teamsWorkflowMessage(m: ChannelMessage): TeamsWorkflowMessage {
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: teamsCard(m, m.url, m.actions) }] };
}
