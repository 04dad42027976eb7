import { runbookLadderDecision } from '../chase/ladder.policy';
import { nudgeActions } from '../chase/nudge-actions.policy';
import { nudgeMessage, nudgeWebhookPayload } from '../chase/nudge.message';
import { runbookLadderRecipients } from '../chase/recipients.policy';
import { digestMessage } from '../chase/digest.message';

const now = new Date('2026-06-10T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('stale runbooks on the reminder ladder', () => {
  it('reaches the same steps as an item due at the review date, and supersedes the skipped ones', () => {
    expect(runbookLadderDecision({ dueAt: daysAgo(-5), alreadySent: [] }, now)).toEqual({ send: null, superseded: [] });
    expect(runbookLadderDecision({ dueAt: daysAgo(-2), alreadySent: [] }, now)).toEqual({ send: 'DUE_SOON', superseded: [] });
    expect(runbookLadderDecision({ dueAt: daysAgo(8), alreadySent: ['DUE_SOON'] }, now)).toEqual({ send: 'ESCALATED', superseded: ['DUE', 'OVERDUE'] });
    expect(runbookLadderDecision({ dueAt: daysAgo(8), alreadySent: ['DUE_SOON', 'DUE', 'OVERDUE', 'ESCALATED'] }, now)).toEqual({ send: null, superseded: [] });
  });

  it('reaches the owning team manager and channels, and leadership channels at the last step', () => {
    expect(runbookLadderRecipients('DUE')).toEqual(['TEAM_MANAGER', 'TEAM_CHANNELS']);
    expect(runbookLadderRecipients('ESCALATED')).toEqual(['TEAM_MANAGER', 'TEAM_CHANNELS']);
    expect(runbookLadderRecipients('LEADERSHIP')).toEqual(['TEAM_CHANNELS', 'LEADERSHIP_CHANNELS']);
  });

  it('speaks of the runbook, its service and team, and offers only to open it', () => {
    const actions = nudgeActions({ publicUrl: 'https://h.test/', subjectKind: 'RUNBOOK', subjectId: 'r1', incidentReference: null, unassigned: true, deliveryId: 'd1' });
    expect(actions).toEqual([{ kind: 'OPEN', label: 'Open in Hindsight', url: 'https://h.test/runbooks/r1?delivery=d1' }]);
    const msg = nudgeMessage({ step: 'OVERDUE', subjectKind: 'RUNBOOK', title: 'Card declines', incidentReference: 'checkout-api', teamName: 'Payments', dueAt: daysAgo(2), url: actions[0].url }, now);
    expect(msg.subject).toBe('[Hindsight] Overdue 2 days: Runbook review "Card declines" (checkout-api, Payments)');
    expect(msg.text).toContain('The review of the runbook "Card declines" (checkout-api service, Payments team) was due on');
    expect(msg.text).toContain('mark it reviewed');
    const body = nudgeWebhookPayload({
      step: 'OVERDUE', deliveryId: 'd1', sentAt: now, recipient: 'hook', actions,
      subject: { kind: 'RUNBOOK', id: 'r1', title: 'Card declines', dueAt: daysAgo(2), incidentReference: 'checkout-api', team: 'Payments' },
    });
    expect(body.subject).toEqual({ kind: 'RUNBOOK', id: 'r1', title: 'Card declines', dueAt: daysAgo(2).toISOString(), incidentReference: null, service: 'checkout-api', team: 'Payments' });
  });
});

describe('weekly digests mention runbooks due for review', () => {
  const base = { kind: 'TEAM' as const, team: 'Payments', weekStart: '2026-06-01T00:00:00.000Z', open: 0, dueSoon: 0, overdue: 0, doneThisWeek: 0, overdueItems: [], url: 'https://h.test/action-items' };
  it('lists the team\'s stale runbooks, and says nothing when there are none', () => {
    const text = digestMessage({ ...base, staleRunbooks: { count: 3, listed: [{ title: 'Card declines', service: 'checkout-api', reviewDueAt: '2026-05-01T00:00:00.000Z', url: 'https://h.test/runbooks/r1' }] } }).text;
    expect(text).toContain('Runbooks due for review: 3');
    expect(text).toContain('  - "Card declines" (checkout-api), review due 2026-05-01 00:00 UTC: https://h.test/runbooks/r1');
    expect(digestMessage({ ...base, staleRunbooks: { count: 0, listed: [] } }).text).not.toContain('Runbooks');
    expect(digestMessage(base).text).not.toContain('Runbooks');
  });
  it('gives leadership the count by team', () => {
    const text = digestMessage({
      kind: 'LEADERSHIP', weekStart: '2026-06-01T00:00:00.000Z', incidents: { thisWeek: 0, previousWeek: 0, bySeverity: { SEV1: 0, SEV2: 0, SEV3: 0, SEV4: 0 } },
      actionItems: { opened: 0, done: 0, overdue: 0 }, postmortemsOverdue: 0, leadershipItems: [], staleRunbooks: [{ team: 'Payments', count: 2 }, { team: 'Search', count: 1 }], url: 'https://h.test/reports',
    }).text;
    expect(text).toContain('Runbooks due for review, by team: Payments 2, Search 1.');
  });
});
