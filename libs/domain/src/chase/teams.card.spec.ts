import { ChannelMessage, testMessage } from './channel.message';
import { nudgeMessage } from './nudge.message';
import { nudgeActions } from './nudge-actions.policy';
import { ADAPTIVE_CARD_CONTENT_TYPE, AdaptiveRichTextBlock, teamsCard, teamsWorkflowMessage } from './teams.card';

const publicUrl = 'https://hindsight.example.com';
const now = new Date('2024-06-12T09:00:00Z');
const actions = nudgeActions({ publicUrl, subjectKind: 'ACTION_ITEM', subjectId: 'a1', incidentReference: 'INC-42', unassigned: true, deliveryId: 'd1' });
const words = nudgeMessage(
  { step: 'OVERDUE', subjectKind: 'ACTION_ITEM', title: '[Pay now](https://evil.example) **Alert** on <cache>', incidentReference: 'INC-42', teamName: 'payments', dueAt: new Date('2024-06-10T09:00:00Z'), url: actions[0].url, recipientName: 'Ana' },
  now,
);
const text = (blocks: readonly AdaptiveRichTextBlock[]) => blocks.map((b) => b.inlines.map((i) => i.text).join('')).join('\n');

describe('teamsCard (Adaptive Card 1.5)', () => {
  const card = teamsCard(words, actions[0].url, actions);

  it('is a version 1.5 card with the subject as fallback and heading', () => {
    expect(card).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.5', fallbackText: words.subject });
    expect(card.body[0]).toEqual({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: words.subject, weight: 'Bolder', size: 'Medium' }] });
  });

  it('offers every answer as an Action.OpenUrl to the one-click page, Open first', () => {
    expect(card.actions).toEqual(actions.map((a) => ({ type: 'Action.OpenUrl', title: a.label, url: a.url, ...(a.kind === 'OPEN' ? { style: 'positive' } : {}) })));
    expect(card.actions.map((a) => a.title)).toEqual(['Open in Hindsight', 'Done', 'Need more time', 'Snooze', "I'll take it"]);
  });

  it('keeps what people typed as plain text runs (never Markdown), without the greeting or the sign-off', () => {
    const body = text(card.body.slice(1));
    expect(body).toContain('"[Pay now](https://evil.example) **Alert** on <cache>"');
    expect(JSON.stringify(card)).not.toContain('"TextBlock"');
    expect(body).not.toContain('Hi Ana,');
    expect(body).not.toContain('Open it in Hindsight:');
    expect(body).not.toContain('— Hindsight reminds');
  });

  it('starts each paragraph with space, the lines of one paragraph close together', () => {
    const digestLike = teamsCard({ subject: 's', text: 'Weekly digest.\n\nOpen: 3\nOverdue: 1\n\nThe list: https://x.example' }, 'https://x.example');
    expect(digestLike.body.slice(1).map((b) => [b.inlines[0].text, b.spacing])).toEqual([
      ['Weekly digest.', 'Medium'],
      ['Open: 3', 'Medium'],
      ['Overdue: 1', 'None'],
      ['The list: https://x.example', 'Medium'],
    ]);
  });

  it('without answers, one button back to Hindsight; a non-web link is never a button', () => {
    expect(teamsCard(words, 'https://h.example/x').actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open in Hindsight', url: 'https://h.example/x', style: 'positive' }]);
    expect(teamsCard(words, 'javascript:alert(1)', [{ kind: 'OPEN', label: 'Open', url: 'javascript:alert(1)' }]).actions).toEqual([]);
  });
});

describe('teamsWorkflowMessage', () => {
  it('wraps the card as the one attachment of a message, as a Workflows webhook takes it', () => {
    const m: ChannelMessage = testMessage({ deliveryId: 'd2', channelName: '#ops', recipient: '#ops', publicUrl, sentAt: now });
    const body = teamsWorkflowMessage(m);
    expect(body).toEqual({ type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: teamsCard(m, publicUrl, []) }] });
    expect(ADAPTIVE_CARD_CONTENT_TYPE).toBe('application/vnd.microsoft.card.adaptive');
    expect(text(body.attachments[0].content.body)).toContain('test message from Hindsight to the channel "#ops"');
  });
});
