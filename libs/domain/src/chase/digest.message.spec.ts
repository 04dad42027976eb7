import { blamelessReview } from '../language/blameless.review';
import { digestMessage, digestPeriod, digestReviewLink, digestReviewMonth, digestWebhookPayload, LeadershipDigestContent, reliabilityReviewUrl, TeamDigestContent } from './digest.message';

describe('digestPeriod', () => {
  it('is the last complete Monday-to-Monday week in UTC', () => {
    // 2024-06-12 is a Wednesday.
    expect(digestPeriod(new Date('2024-06-12T15:00:00Z'))).toEqual({ from: new Date('2024-06-03T00:00:00Z'), to: new Date('2024-06-10T00:00:00Z') });
    // Monday 00:00 exactly closes the week that just ended.
    expect(digestPeriod(new Date('2024-06-10T00:00:00Z'))).toEqual({ from: new Date('2024-06-03T00:00:00Z'), to: new Date('2024-06-10T00:00:00Z') });
    expect(digestPeriod(new Date('2024-06-09T23:59:59Z'))).toEqual({ from: new Date('2024-05-27T00:00:00Z'), to: new Date('2024-06-03T00:00:00Z') });
  });
});

const item = { title: 'Alert on cache hit ratio', incidentReference: 'INC-42', dueAt: '2024-05-01T09:00:00.000Z', url: 'https://h.example/action-items/1' };

describe('digestMessage', () => {
  const team: TeamDigestContent = { kind: 'TEAM', team: 'payments', weekStart: '2024-06-03T00:00:00.000Z', open: 5, dueSoon: 1, overdue: 2, doneThisWeek: 3, overdueItems: [item], url: 'https://h.example/action-items?team=payments' };

  it('team digest: open, due soon, overdue, done this week and the overdue items', () => {
    const m = digestMessage(team);
    expect(m.subject).toBe('[Hindsight] payments weekly digest (week of 2024-06-03): 2 overdue items');
    for (const part of ['Open action items: 5', 'Due in the next 3 days: 1', 'Overdue: 2', 'Done this week: 3', '"Alert on cache hit ratio" (INC-42), due 2024-05-01 09:00 UTC', team.url]) {
      expect(m.text).toContain(part);
    }
  });

  it("team digest: how the team answered reminders, by step, never by person", () => {
    const m = digestMessage({
      ...team,
      responses: [
        { step: 'OVERDUE', nudges: 4, answeredWithinTwoDays: 3, medianHoursToAnswer: 5 },
        { step: 'ESCALATED', nudges: 1, answeredWithinTwoDays: 0, medianHoursToAnswer: null },
      ],
    });
    expect(m.text).toContain('How the team answered reminders, last 4 weeks:');
    expect(m.text).toContain('  - Overdue: 3 of 4 reminders answered within 2 days (75 %), median 5.0 h to an answer');
    expect(m.text).toContain('  - Escalated: 0 of 1 reminder answered within 2 days (0 %), no answer yet');
    expect(blamelessReview(m.text)).toEqual([]);
    expect(digestMessage(team).text).not.toContain('answered reminders');
  });

  const leadership: LeadershipDigestContent = {
    kind: 'LEADERSHIP',
    weekStart: '2024-06-03T00:00:00.000Z',
    incidents: { thisWeek: 3, previousWeek: 5, bySeverity: { SEV1: 1, SEV2: 0, SEV3: 2, SEV4: 0 } },
    actionItems: { opened: 4, done: 6, overdue: 7 },
    postmortemsOverdue: 1,
    leadershipItems: [{ team: 'payments', items: [item] }, { team: 'search', items: [item, item] }],
    url: 'https://h.example/reports',
  };

  it('leadership digest: trends in brief and leadership-step items grouped by team', () => {
    const m = digestMessage(leadership);
    expect(m.subject).toBe('[Hindsight] Leadership digest (week of 2024-06-03): 3 incidents, 3 items at the leadership step');
    expect(m.text).toContain('Incidents: 3 (SEV1 1, SEV2 0, SEV3 2, SEV4 0), down from 5 the week before.');
    expect(m.text).toContain('Action items: 4 opened, 6 done, 7 overdue.');
    expect(m.text.indexOf('payments (1):')).toBeLessThan(m.text.indexOf('search (2):'));
    expect(digestMessage({ ...leadership, leadershipItems: [] }).text).toContain('No action item has reached the leadership step.');
  });

  it("leadership digest: links to the last complete month's reliability review", () => {
    // The week of 2024-06-03 ends on Monday 2024-06-10: May is the last complete month.
    const review = digestReviewLink('https://h.example/', new Date('2024-06-10T00:00:00Z'));
    expect(review).toEqual({ month: 'May 2024', url: 'https://h.example/reliability/review?from=2024-05-01&to=2024-06-01' });
    const m = digestMessage({ ...leadership, review });
    expect(m.text).toContain('Reliability review of May 2024 (what changed, the outlook; prints to PDF): https://h.example/reliability/review?from=2024-05-01&to=2024-06-01');
    // Digests stored before the link existed still read.
    expect(digestMessage(leadership).text).not.toContain('Reliability review of');
  });

  it('picks the month before the one a week ends in, across a year and at a month boundary', () => {
    expect(digestReviewMonth(new Date('2025-01-06T00:00:00Z'))).toEqual({ from: new Date('2024-12-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') });
    // A week ending exactly on the 1st completes the month before it.
    expect(digestReviewMonth(new Date('2024-07-01T00:00:00Z'))).toEqual({ from: new Date('2024-06-01T00:00:00Z'), to: new Date('2024-07-01T00:00:00Z') });
    expect(reliabilityReviewUrl('http://localhost:3000', { from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-03-01T00:00:00Z') }))
      .toBe('http://localhost:3000/reliability/review?from=2024-02-01&to=2024-03-01');
  });

  it('is blameless: no blame-laden phrasing', () => {
    expect(blamelessReview(digestMessage(team).text)).toEqual([]);
    expect(blamelessReview(digestMessage(leadership).text)).toEqual([]);
  });

  it('the webhook body is the contract envelope with type "digest"', () => {
    const body = digestWebhookPayload({ deliveryId: 'd-1', sentAt: new Date('2024-06-10T08:00:00Z'), recipient: 'leadership', content: leadership });
    expect(body).toEqual({ type: 'digest', deliveryId: 'd-1', sentAt: '2024-06-10T08:00:00.000Z', recipient: 'leadership', digest: leadership });
  });
});
