import { nudgeMessage } from './nudge.message';
import { nudgeActions } from './nudge-actions.policy';
import { escapeSlack, slackAnsweredBlocks, slackAppMessage, SLACK_ANSWERS_BLOCK, slackMessage } from './slack.message';

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

describe('slackAppMessage', () => {
  const sentAt = new Date('2024-06-12T09:00:00Z');
  const subject = { kind: 'ACTION_ITEM' as const, id: 'item-1', title: 'Alert on <cache>', dueAt: new Date('2024-06-10T09:00:00Z'), incidentReference: 'INC-42', team: 'payments' };
  const base = { deliveryId: 'dlv-1', sentAt, recipient: 'ana@example.com', subject: 'Overdue: Alert on <cache>', text: 'Hello,\n\nIt is overdue.', url: 'https://h.example/action-items/item-1' };
  const actions = nudgeActions({ publicUrl: 'https://h.example', subjectKind: 'ACTION_ITEM', subjectId: 'item-1', incidentReference: 'INC-42', deliveryId: 'dlv-1', unassigned: true });
  const buttons = (blocks: readonly unknown[]) => (blocks.find((b) => (b as { type: string }).type === 'actions') as { block_id: string; elements: { action_id: string; value?: string; url?: string; text: { text: string } }[] });

  it("offers an action item's answers as interactive buttons naming the item and delivery, and Open as a link", () => {
    const m = slackAppMessage({ ...base, actions, about: { kind: 'nudge', step: 'OVERDUE', subject } });
    const answers = buttons(m.blocks);
    expect(answers.block_id).toBe(SLACK_ANSWERS_BLOCK);
    expect(answers.elements.map((e) => e.action_id)).toEqual(['hs_open', 'hs_complete', 'hs_extend', 'hs_snooze', 'hs_claim']);
    expect(answers.elements[0].url).toBe(actions[0].url);
    for (const e of answers.elements.slice(1)) expect(JSON.parse(e.value ?? '')).toEqual({ i: 'item-1', d: 'dlv-1' });
    expect(JSON.stringify(m.blocks)).toContain('&lt;cache&gt;');
  });

  it('gives the manager Approve and Decline on an extension request, and only Open on its decision', () => {
    const request = { id: 'req-1', until: new Date('2024-07-01T00:00:00Z'), reason: 'vendor', requestedBy: 'Mo' };
    const asked = slackAppMessage({ ...base, actions: [], about: { kind: 'extension_request', subject, request, event: 'REQUESTED' } });
    expect(buttons(asked.blocks).elements.map((e) => [e.action_id, e.value ? JSON.parse(e.value) : e.url])).toEqual([
      ['hs_approve', { r: 'req-1', d: 'dlv-1' }], ['hs_decline', { r: 'req-1', d: 'dlv-1' }], ['hs_open', base.url],
    ]);
    const decided = slackAppMessage({ ...base, actions: [], about: { kind: 'extension_request', subject, request, event: 'DECIDED' } });
    expect(buttons(decided.blocks).elements.map((e) => e.action_id)).toEqual(['hs_open']);
  });

  it('replaces the buttons with the outcome once answered', () => {
    const m = slackAppMessage({ ...base, actions, about: { kind: 'nudge', step: 'OVERDUE', subject } });
    const answered = slackAnsweredBlocks(m.blocks, 'Marked done by <@U1> · 14:02 UTC');
    expect(answered.some((b) => (b as { type: string }).type === 'actions')).toBe(false);
    expect(answered[answered.length - 1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Marked done by <@U1> · 14:02 UTC' }] });
    expect(answered.slice(0, 2)).toEqual(m.blocks.slice(0, 2));
  });
});
