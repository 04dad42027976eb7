import { nudgeResponseStats, NudgeAnswerRow } from './nudge-response.metric';

const HOUR = 3_600_000;
const now = new Date('2024-06-20T12:00:00Z');
const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);
const row = (teamId: string, step: NudgeAnswerRow['step'], sentHoursAgo: number, answeredAfterHours: number | null): NudgeAnswerRow => ({
  teamId, step, sentAt: at(sentHoursAgo), answeredAt: answeredAfterHours === null ? null : new Date(at(sentHoursAgo).getTime() + answeredAfterHours * HOUR),
});

describe('nudgeResponseStats', () => {
  it('counts the share answered within 2 days and the median hours to an answer, per team and step in ladder order', () => {
    const stats = nudgeResponseStats(
      [
        row('pay', 'OVERDUE', 100, 3), row('pay', 'OVERDUE', 100, 47), row('pay', 'OVERDUE', 100, 60), row('pay', 'OVERDUE', 100, null),
        row('pay', 'DUE_SOON', 80, 1), row('search', 'ESCALATED', 200, null),
      ],
      now,
    );
    expect(stats).toEqual([
      { teamId: 'pay', step: 'DUE_SOON', nudges: 1, answeredWithinWindow: 1, answeredShare: 1, medianHoursToAnswer: 1 },
      { teamId: 'pay', step: 'OVERDUE', nudges: 4, answeredWithinWindow: 2, answeredShare: 0.5, medianHoursToAnswer: 47 },
      { teamId: 'search', step: 'ESCALATED', nudges: 1, answeredWithinWindow: 0, answeredShare: 0, medianHoursToAnswer: null },
    ]);
  });

  it('leaves out a nudge still inside its window and unanswered, but counts one answered in it', () => {
    expect(nudgeResponseStats([row('pay', 'DUE', 10, null)], now)).toEqual([{ teamId: 'pay', step: 'DUE', nudges: 0, answeredWithinWindow: 0, answeredShare: null, medianHoursToAnswer: null }]);
    expect(nudgeResponseStats([row('pay', 'DUE', 10, 2)], now)[0]).toMatchObject({ nudges: 1, answeredWithinWindow: 1, answeredShare: 1 });
  });

  it('counts exactly 48 hours as in time', () => {
    expect(nudgeResponseStats([row('pay', 'DUE', 100, 48)], now)[0].answeredWithinWindow).toBe(1);
  });
});
