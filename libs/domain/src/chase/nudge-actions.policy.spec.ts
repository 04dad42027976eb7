import { escapeHtml, notificationEmailHtml } from './email.html';
import { nudgeActionFromParam, nudgeActions } from './nudge-actions.policy';
import { nudgeMessage, withActionLinks } from './nudge.message';
import { slackMessage } from './slack.message';

const base = { publicUrl: 'https://hindsight.example.com/', subjectId: 'item-7', incidentReference: 'INC-12', deliveryId: 'd-1' };

describe('nudgeActions', () => {
  it('offers open, done, more time and snooze on an assigned item, each carrying the delivery id', () => {
    const actions = nudgeActions({ ...base, subjectKind: 'ACTION_ITEM', unassigned: false });
    expect(actions.map((a) => [a.kind, a.url])).toEqual([
      ['OPEN', 'https://hindsight.example.com/action-items/item-7?delivery=d-1'],
      ['COMPLETE', 'https://hindsight.example.com/action-items/item-7?action=complete&delivery=d-1'],
      ['EXTEND', 'https://hindsight.example.com/action-items/item-7?action=extend&delivery=d-1'],
      ['SNOOZE', 'https://hindsight.example.com/action-items/item-7?action=snooze&delivery=d-1'],
    ]);
  });

  it('adds claim for an unassigned item, and only opens a postmortem', () => {
    expect(nudgeActions({ ...base, subjectKind: 'ACTION_ITEM', unassigned: true }).map((a) => a.kind)).toEqual(['OPEN', 'COMPLETE', 'EXTEND', 'SNOOZE', 'CLAIM']);
    expect(nudgeActions({ ...base, subjectKind: 'POSTMORTEM', unassigned: true })).toEqual([
      { kind: 'OPEN', label: 'Open in Hindsight', url: 'https://hindsight.example.com/incidents/INC-12/postmortem?delivery=d-1' },
    ]);
  });

  it('reads the action parameter back, anything unknown only opening the item', () => {
    expect(nudgeActionFromParam('extend')).toBe('EXTEND');
    expect(nudgeActionFromParam('claim')).toBe('CLAIM');
    expect(nudgeActionFromParam('drop-table')).toBe('OPEN');
    expect(nudgeActionFromParam(null)).toBe('OPEN');
  });
});

describe('notification email and Slack buttons', () => {
  const title = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
  const actions = nudgeActions({ ...base, subjectKind: 'ACTION_ITEM', unassigned: true });
  const m = nudgeMessage(
    { step: 'OVERDUE', subjectKind: 'ACTION_ITEM', title, incidentReference: 'INC-4', teamName: 'pay"ments', dueAt: new Date('2024-06-10T09:00:00Z'), url: actions[0].url },
    new Date('2024-06-12T09:00:00Z'),
  );

  it('escapes every value in the HTML part and links each answer', () => {
    const html = notificationEmailHtml(m.subject, m.text, actions);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('pay&quot;ments');
    for (const a of actions) expect(html).toContain(`href="${escapeHtml(a.url)}"`);
    expect(html).toContain('Need more time');
  });

  it('never makes a button of a non-http link', () => {
    const html = notificationEmailHtml('s', 't', [{ kind: 'OPEN', label: 'Open', url: 'javascript:alert(1)' }]);
    expect(html).not.toContain('javascript:');
  });

  it('lists the links in the plain text too', () => {
    const text = withActionLinks(m.text, actions);
    expect(text.startsWith(m.text)).toBe(true);
    expect(text).toContain(`Need more time: ${actions[2].url}`);
  });

  it('shows the answers as Slack URL buttons', () => {
    const s = slackMessage(m, actions[0].url, actions);
    const block = s.blocks.find((b) => (b as { type: string }).type === 'actions') as { elements: { text: { text: string }; url: string }[] };
    expect(block.elements.map((e) => [e.text.text, e.url])).toEqual(actions.map((a) => [a.label, a.url]));
  });
});
