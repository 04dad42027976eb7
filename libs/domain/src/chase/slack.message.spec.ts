import { nudgeMessage } from './nudge.message';
import { escapeSlack, slackMessage } from './slack.message';

describe('slackMessage', () => {
  const dueAt = new Date('2024-06-10T09:00:00Z');
  const url = 'https://hindsight.example.com/action-items/7';
  const m = nudgeMessage({ step: 'OVERDUE', subjectKind: 'ACTION_ITEM', title: 'Alert on <cache> & hits', incidentReference: 'INC-42', teamName: 'payments', dueAt, url }, new Date('2024-06-12T09:00:00Z'));

  it('has the subject as fallback text and a button linking back to the item', () => {
    const s = slackMessage(m, url);
    expect(s.text).toBe(m.subject);
    expect(s.blocks).toContainEqual({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Hindsight' }, url }] });
  });

  it('escapes Slack control characters and drops the email greeting', () => {
    const body = JSON.stringify(slackMessage(m, url).blocks);
    expect(body).toContain('&lt;cache&gt; &amp; hits');
    expect(body).not.toContain('<cache>');
    expect(body).not.toContain('Hello,');
    expect(body).toContain('INC-42');
    expect(escapeSlack('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });
});
