import { blamelessReview } from '../language/blameless.review';
import { extensionMessage, extensionQuietReason, extensionRequestWebhookPayload } from './extension.message';

const input = {
  title: 'Alert on cache hit ratio', incidentReference: 'INC-42', teamName: 'payments', dueAt: new Date('2024-06-10T09:00:00Z'),
  until: new Date('2024-06-20T09:00:00Z'), reason: 'Waiting on the vendor', requesterName: 'Alice Martin', url: 'https://h.example.com/action-items/7',
};

describe('extensionMessage', () => {
  it('asks the manager with both dates and the reason', () => {
    const m = extensionMessage({ ...input, event: 'REQUESTED', recipientName: 'Bob' });
    expect(m.subject).toBe('[Hindsight] Extension requested: Action item "Alert on cache hit ratio" (INC-42, payments)');
    for (const part of ['Hi Bob,', 'Alice Martin asks', '2024-06-10 09:00 UTC', '2024-06-20 09:00 UTC', 'Reason: Waiting on the vendor', input.url]) expect(m.text).toContain(part);
    expect(blamelessReview(m.text)).toEqual([]);
  });

  it('tells the requester the decision and what it means for the date', () => {
    const yes = extensionMessage({ ...input, event: 'DECIDED', approved: true, note: 'Fine' });
    expect(yes.subject).toContain('Extension approved');
    expect(yes.text).toContain('The due date is now 2024-06-20 09:00 UTC');
    expect(yes.text).toContain('Note: Fine');
    const no = extensionMessage({ ...input, event: 'DECIDED', approved: false });
    expect(no.subject).toContain('Extension declined');
    expect(no.text).toContain('The due date stays 2024-06-10 09:00 UTC');
  });
});

describe('extensionRequestWebhookPayload', () => {
  it('carries the nudge subject and the request', () => {
    const body = extensionRequestWebhookPayload({
      deliveryId: 'd', sentAt: new Date('2024-06-10T10:00:00Z'), recipient: 'hook',
      subject: { id: 'a', title: input.title, dueAt: input.dueAt, incidentReference: 'INC-42', team: 'payments' },
      request: { id: 'r', until: input.until, reason: input.reason, requestedBy: 'Alice Martin' },
      actions: [{ kind: 'OPEN', label: 'Open', url: 'https://h.example.com/action-items/a?delivery=d' }],
    });
    expect(body).toEqual({
      type: 'extension_request', deliveryId: 'd', sentAt: '2024-06-10T10:00:00.000Z', recipient: 'hook',
      subject: { kind: 'ACTION_ITEM', id: 'a', title: input.title, dueAt: '2024-06-10T09:00:00.000Z', incidentReference: 'INC-42', team: 'payments' },
      request: { id: 'r', until: '2024-06-20T09:00:00.000Z', reason: 'Waiting on the vendor', requestedBy: 'Alice Martin' },
      actions: [{ kind: 'OPEN', url: 'https://h.example.com/action-items/a?delivery=d' }],
    });
  });
});

describe('extensionQuietReason', () => {
  it('a request message goes out while the request waits; a decision goes out whatever the request became', () => {
    expect(extensionQuietReason({ event: 'REQUESTED', status: 'PENDING', itemFound: true })).toBeNull();
    expect(extensionQuietReason({ event: 'DECIDED', status: 'APPROVED', itemFound: true })).toBeNull();
  });

  it('says why a message stays unsent: the request was decided first, or the item is gone', () => {
    expect(extensionQuietReason({ event: 'REQUESTED', status: 'DECLINED', itemFound: true })).toBe('the request was decided before the message went out');
    expect(extensionQuietReason({ event: 'DECIDED', status: 'APPROVED', itemFound: false })).toBe('the action item was deleted');
  });
});
