import { ChannelMessage, chatBody, DeliveryFacts, deliveryMessage, deliveryQuietReason, testMessage, webhookPayload } from './channel.message';
import type { DigestContent } from './digest.message';
import { notificationEmail } from './email.html';
import { slackPayload } from './slack.message';

const publicUrl = 'https://hindsight.example.com';
const now = new Date('2024-06-12T09:00:00Z');
const dueAt = new Date('2024-06-10T09:00:00Z');
const facts = (over: Partial<DeliveryFacts> = {}): DeliveryFacts => ({
  id: 'd-1', recipient: 'payments-hook', recipientName: null, subjectKind: 'ACTION_ITEM', subjectId: 'item-1', step: 'OVERDUE', dueAt,
  teamName: 'Payments', title: 'Alert on cache hit ratio', incidentNumber: 42, serviceName: null, unassigned: false, closedUpstreamIssue: null,
  subjectFound: true, subjectStatus: 'OPEN', subjectSnoozedUntil: null, sameDueDate: true, digestId: null, digestContent: null, extension: null, ...over,
});
const digest: DigestContent = {
  kind: 'TEAM', team: 'Payments', weekStart: '2024-06-03T00:00:00.000Z', open: 3, dueSoon: 1, overdue: 1, doneThisWeek: 2, overdueItems: [], url: `${publicUrl}/action-items?team=t1`,
};
const extension = {
  requestId: 'x-1', event: 'REQUESTED' as const, actionItemId: 'item-1', dueAt, previousDueAt: dueAt, until: new Date('2024-06-20T09:00:00Z'),
  reason: 'Waiting on the vendor', status: 'PENDING' as const, note: null, requesterName: 'Mo Member', itemFound: true,
};

describe('deliveryMessage: one model for every channel', () => {
  it('a nudge: the words, its answers with the delivery id, and what it is about', () => {
    const m = deliveryMessage(facts(), publicUrl, now) as ChannelMessage;
    expect(m.subject).toBe('[Hindsight] Overdue 2 days: Action item "Alert on cache hit ratio" (INC-42, Payments)');
    expect(m.url).toBe(`${publicUrl}/action-items/item-1?delivery=d-1`);
    expect(m.actions.map((a) => a.kind)).toEqual(['OPEN', 'COMPLETE', 'EXTEND', 'SNOOZE']);
    expect(m.about).toEqual({ kind: 'nudge', step: 'OVERDUE', subject: { kind: 'ACTION_ITEM', id: 'item-1', title: 'Alert on cache hit ratio', dueAt, incidentReference: 'INC-42', team: 'Payments' } });
    expect(m.sentAt).toBe(now);
  });

  it('a runbook nudge names its service; an unassigned item offers the claim', () => {
    const runbook = deliveryMessage(facts({ subjectKind: 'RUNBOOK', serviceName: 'checkout', incidentNumber: null }), publicUrl, now) as ChannelMessage;
    expect(runbook.about).toMatchObject({ subject: { kind: 'RUNBOOK', incidentReference: 'checkout' } });
    expect(runbook.url).toBe(`${publicUrl}/runbooks/item-1?delivery=d-1`);
    expect((deliveryMessage(facts({ unassigned: true }), publicUrl, now) as ChannelMessage).actions.at(-1)?.kind).toBe('CLAIM');
  });

  it('a digest: its stored content, no answers', () => {
    const m = deliveryMessage(facts({ digestId: 'g-1', digestContent: digest, subjectKind: null, subjectId: null, step: null, dueAt: null }), publicUrl, now) as ChannelMessage;
    expect(m.subject).toContain('Payments weekly digest');
    expect(m).toMatchObject({ url: digest.url, actions: [], about: { kind: 'digest', content: digest } });
  });

  it('an extension request: the link to decide, and the request', () => {
    const m = deliveryMessage(facts({ extension, subjectKind: null, subjectId: null, step: null, dueAt: null }), publicUrl, now) as ChannelMessage;
    expect(m.subject).toContain('Extension requested');
    expect(m.actions).toEqual([{ kind: 'OPEN', label: 'Open in Hindsight', url: `${publicUrl}/action-items/item-1?delivery=d-1` }]);
    expect(m.about).toMatchObject({ kind: 'extension_request', request: { id: 'x-1', reason: 'Waiting on the vendor', requestedBy: 'Mo Member' } });
  });

  it('a row with nothing to send is null', () => {
    expect(deliveryMessage(facts({ subjectKind: null, step: null }), publicUrl, now)).toBeNull();
  });
});

describe('deliveryQuietReason', () => {
  it('asks the ladder for a nudge, the extension rule for a request message, nothing for a digest', () => {
    expect(deliveryQuietReason(facts(), now)).toBeNull();
    expect(deliveryQuietReason(facts({ subjectStatus: 'DONE' }), now)).toBe('the action item was closed (DONE) before the reminder went out');
    expect(deliveryQuietReason(facts({ extension: { ...extension, status: 'APPROVED' }, subjectKind: null }), now)).toBe('the request was decided before the message went out');
    expect(deliveryQuietReason(facts({ digestId: 'g-1', subjectKind: null, subjectFound: false }), now)).toBeNull();
  });
});

describe('webhookPayload', () => {
  it('is the contract body for each kind of message', () => {
    const nudge = deliveryMessage(facts(), publicUrl, now) as ChannelMessage;
    expect(webhookPayload(nudge)).toMatchObject({ type: 'nudge', step: 'OVERDUE', deliveryId: 'd-1', sentAt: now.toISOString(), recipient: 'payments-hook', subject: { id: 'item-1', dueAt: dueAt.toISOString() } });
    const ext = deliveryMessage(facts({ extension, subjectKind: null }), publicUrl, now) as ChannelMessage;
    expect(webhookPayload(ext)).toMatchObject({ type: 'extension_request', request: { id: 'x-1', until: '2024-06-20T09:00:00.000Z' }, actions: [{ kind: 'OPEN' }] });
    const dg = deliveryMessage(facts({ digestId: 'g-1', digestContent: digest, subjectKind: null }), publicUrl, now) as ChannelMessage;
    expect(webhookPayload(dg)).toEqual({ type: 'digest', deliveryId: 'd-1', sentAt: now.toISOString(), recipient: 'payments-hook', digest });
    const test = testMessage({ deliveryId: 't-1', channelName: 'ops-hook', recipient: 'https://hooks.example.com/x', publicUrl, sentAt: now });
    expect(Object.keys(webhookPayload(test) as object)).toEqual(['type', 'deliveryId', 'sentAt', 'channel', 'subject', 'text']);
    expect(webhookPayload(test)).toMatchObject({ type: 'test', deliveryId: 't-1', channel: 'ops-hook', subject: 'Hindsight test message for ops-hook' });
  });
});

describe('the email and Slack renderers read the same model', () => {
  const m = deliveryMessage(facts({ recipient: 'ana@example.com', recipientName: 'Ana' }), publicUrl, now) as ChannelMessage;

  it('email: multipart with the answers listed and as buttons; a message without answers is text only', () => {
    const mail = notificationEmail(m);
    expect(mail.subject).toBe(m.subject);
    expect(mail.text).toContain(`Need more time: ${publicUrl}/action-items/item-1?action=extend&delivery=d-1`);
    expect(mail.html).toContain('>Need more time</a>');
    expect(notificationEmail(testMessage({ deliveryId: 't', channelName: 'list', recipient: 'l@example.com', publicUrl, sentAt: now })).html).toBeNull();
  });

  it('Slack: the answers as buttons, the body without the greeting', () => {
    const s = slackPayload(m);
    expect(s.text).toBe(m.subject);
    expect(JSON.stringify(s.blocks)).not.toContain('Hi Ana,');
    expect(chatBody(m.text)).not.toContain('Open it in Hindsight:');
  });
});
