import { LADDER_STEPS, LadderStep } from '../enums/contract.enums';
import { blamelessReview } from '../language/blameless.review';
import { NudgeMessageInput, nudgeMessage, nudgeWebhookPayload } from './nudge.message';
import { stepTime } from './ladder.policy';

const DAY = 86_400_000;
const dueAt = new Date('2024-06-10T09:00:00Z');
const input = (step: LadderStep, over: Partial<NudgeMessageInput> = {}): NudgeMessageInput => ({
  step,
  subjectKind: 'ACTION_ITEM',
  title: 'Alert on cache hit ratio',
  incidentReference: 'INC-42',
  teamName: 'payments',
  dueAt,
  url: 'https://hindsight.example.com/action-items/7',
  recipientName: 'Alice Martin',
  ...over,
});
const sendAt = (step: LadderStep): Date => stepTime(step, dueAt);

describe('nudgeMessage', () => {
  it.each(LADDER_STEPS.map((s) => [s]))('%s speaks of the item, its incident, team, deadline and link', (step) => {
    const m = nudgeMessage(input(step), sendAt(step));
    for (const part of ['Alert on cache hit ratio', 'INC-42', 'payments']) {
      expect(m.subject).toContain(part);
      expect(m.text).toContain(part);
    }
    expect(m.text).toContain('2024-06-10 09:00 UTC');
    expect(m.text).toContain('https://hindsight.example.com/action-items/7');
  });

  it('asks for the verification of an item whose tracker issue was closed upstream', () => {
    const m = nudgeMessage(input('OVERDUE', { closedUpstreamIssue: 'OPS-12' }), sendAt('OVERDUE'));
    expect(m.text).toContain('Its tracker issue OPS-12 was closed');
    expect(m.text).toContain('What is left is the verification');
    expect(m.text).not.toContain('To move it forward');
    expect(nudgeMessage(input('OVERDUE'), sendAt('OVERDUE')).text).toContain('To move it forward');
  });

  it('says where the deadline stands at send time', () => {
    expect(nudgeMessage(input('DUE_SOON'), sendAt('DUE_SOON')).text).toContain('is due in 3 days');
    expect(nudgeMessage(input('DUE_SOON'), new Date(dueAt.getTime() - 5 * 3_600_000)).text).toContain('is due in 5 hours');
    expect(nudgeMessage(input('DUE'), sendAt('DUE')).text).toContain('is due now');
    expect(nudgeMessage(input('DUE'), new Date(dueAt.getTime() - 60_000)).text).toContain('is due within the hour');
    expect(nudgeMessage(input('DUE'), new Date(dueAt.getTime() + 3 * 3_600_000)).text).toContain('was due 3 hours ago');
    expect(nudgeMessage(input('OVERDUE'), sendAt('OVERDUE')).text).toContain('is 1 day overdue');
    expect(nudgeMessage(input('ESCALATED'), new Date(dueAt.getTime() + 9 * DAY)).text).toContain('is 9 days overdue');
  });

  it('subjects name the step', () => {
    expect(nudgeMessage(input('DUE_SOON'), sendAt('DUE_SOON')).subject).toMatch(/^\[Hindsight\] Due soon: Action item "Alert on cache hit ratio" \(INC-42, payments\)$/);
    expect(nudgeMessage(input('DUE'), sendAt('DUE')).subject).toContain('Due today');
    expect(nudgeMessage(input('OVERDUE'), sendAt('OVERDUE')).subject).toContain('Overdue 1 day');
    expect(nudgeMessage(input('ESCALATED'), sendAt('ESCALATED')).subject).toContain('Overdue 7 days, escalated to the team manager');
    expect(nudgeMessage(input('LEADERSHIP'), sendAt('LEADERSHIP')).subject).toContain('Overdue 21 days, in the leadership digest');
  });

  it('explains escalation and the leadership digest in terms of the team', () => {
    expect(nudgeMessage(input('ESCALATED'), sendAt('ESCALATED')).text).toContain("payments team's manager");
    expect(nudgeMessage(input('LEADERSHIP'), sendAt('LEADERSHIP')).text).toContain('leadership digest under the payments team');
    expect(nudgeMessage(input('OVERDUE'), sendAt('OVERDUE')).text).not.toContain('manager');
  });

  it('tells an action item how to move forward', () => {
    const text = nudgeMessage(input('OVERDUE'), sendAt('OVERDUE')).text;
    expect(text).toContain('completion note');
    expect(text).toContain('snooze');
    expect(text).toContain('14 days');
  });

  it('speaks of a postmortem as a postmortem', () => {
    const m = nudgeMessage(input('OVERDUE', { subjectKind: 'POSTMORTEM', title: 'Checkout outage' }), sendAt('OVERDUE'));
    expect(m.subject).toContain('Postmortem "Checkout outage"');
    expect(m.text).toContain('The postmortem of INC-42 "Checkout outage"');
    expect(m.text).toContain('request a review');
    expect(m.text).not.toContain('completion note');
  });

  it.each(LADDER_STEPS.map((s) => [s]))('%s names no person beyond the greeting', (step) => {
    const { subject, text } = nudgeMessage(input(step), sendAt(step));
    const [greeting, ...rest] = text.split('\n');
    expect(greeting).toBe('Hi Alice Martin,');
    const body = rest.join('\n');
    expect(body).not.toMatch(/Alice|Martin/);
    expect(subject).not.toMatch(/Alice|Martin/);
    // The message body itself passes the blameless review.
    expect(blamelessReview(`${subject}\n${body}`)).toEqual([]);
  });

  it('greets channels without a name', () => {
    expect(nudgeMessage(input('DUE', { recipientName: null }), sendAt('DUE')).text.split('\n')[0]).toBe('Hello,');
    expect(nudgeMessage(input('DUE', { recipientName: undefined }), sendAt('DUE')).text.split('\n')[0]).toBe('Hello,');
  });

  it('keeps the subject one line and bounded (no header injection)', () => {
    const m = nudgeMessage(input('DUE', { title: `Fix\r\nBcc: victim@example.com ${'x'.repeat(300)}`, teamName: 'pay\nments' }), sendAt('DUE'));
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.subject).toContain('Fix Bcc: victim@example.com');
    expect(m.subject).toContain('…');
    expect(m.subject.length).toBeLessThan(220);
    expect(m.text.split('\n')[0]).toBe('Hi Alice Martin,');
  });
});

describe('nudgeWebhookPayload', () => {
  it('has the contract shape', () => {
    const payload = nudgeWebhookPayload({
      step: 'OVERDUE',
      deliveryId: 'd-1',
      sentAt: new Date('2024-06-11T09:00:05Z'),
      recipient: '#payments',
      subject: { kind: 'ACTION_ITEM', id: '7', title: 'Alert on cache hit ratio', dueAt, incidentReference: 'INC-42', team: 'payments' },
      actions: [{ kind: 'OPEN', label: 'Open in Hindsight', url: 'https://h.example.com/action-items/7?delivery=d-1' }],
    });
    expect(JSON.parse(JSON.stringify(payload))).toEqual({
      type: 'nudge',
      step: 'OVERDUE',
      deliveryId: 'd-1',
      sentAt: '2024-06-11T09:00:05.000Z',
      recipient: '#payments',
      subject: { kind: 'ACTION_ITEM', id: '7', title: 'Alert on cache hit ratio', dueAt: '2024-06-10T09:00:00.000Z', incidentReference: 'INC-42', team: 'payments' },
      actions: [{ kind: 'OPEN', url: 'https://h.example.com/action-items/7?delivery=d-1' }],
    });
  });
});
