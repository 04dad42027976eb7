import { HEADLINE_METRICS, higherIsBetter, overdueCountsAt, periodDelta, periodEndAsOf, periodExposureDays, previousRange } from './review-deltas.metric';

const d = (iso: string): Date => new Date(iso);

describe('periodDelta', () => {
  it('gives the change, the relative change and whether it improved', () => {
    expect(periodDelta('INCIDENTS', 12, 10)).toEqual({ value: 12, previous: 10, change: 2, relativeChange: 0.2, better: false });
    expect(periodDelta('TTR_MEDIAN', 45, 60)).toEqual({ value: 45, previous: 60, change: -15, relativeChange: -0.25, better: true });
  });

  it('reads a higher on-time rate as better, and drops float noise', () => {
    // 0.8 − 0.5 is 0.30000000000000004 in floating point.
    expect(periodDelta('POSTMORTEMS_ON_TIME_RATE', 0.8, 0.5)).toEqual({ value: 0.8, previous: 0.5, change: 0.3, relativeChange: 0.6, better: true });
    expect(periodDelta('POSTMORTEMS_ON_TIME_RATE', 0.5, 0.8).better).toBe(false);
    expect(HEADLINE_METRICS.filter(higherIsBetter)).toEqual(['POSTMORTEMS_ON_TIME_RATE', 'DEPLOYMENTS_PER_DAY']);
  });

  it('has no relative change against zero (an empty previous period), but still a direction', () => {
    expect(periodDelta('INCIDENTS', 3, 0)).toEqual({ value: 3, previous: 0, change: 3, relativeChange: null, better: false });
    expect(periodDelta('COST', 0, 250)).toEqual({ value: 0, previous: 250, change: -250, relativeChange: -1, better: true });
  });

  it('calls no change neither better nor worse', () => {
    expect(periodDelta('INCIDENTS', 0, 0)).toEqual({ value: 0, previous: 0, change: 0, relativeChange: null, better: null });
    expect(periodDelta('TTD_P90', 7, 7)).toEqual({ value: 7, previous: 7, change: 0, relativeChange: 0, better: null });
  });

  it('does not compare an undefined figure (no resolved incident) with anything', () => {
    const none = { change: null, relativeChange: null, better: null };
    expect(periodDelta('TTR_MEDIAN', null, 60)).toEqual({ value: null, previous: 60, ...none });
    expect(periodDelta('TTR_MEDIAN', 60, null)).toEqual({ value: 60, previous: null, ...none });
    expect(periodDelta('POSTMORTEMS_ON_TIME_RATE', null, null)).toEqual({ value: null, previous: null, ...none });
  });
});

describe('previousRange', () => {
  it('is the range of equal length ending at from', () => {
    expect(previousRange(d('2024-03-04T00:00:00Z'), d('2024-04-01T00:00:00Z'))).toEqual({ from: d('2024-02-05T00:00:00Z'), to: d('2024-03-04T00:00:00Z') });
    // Unaligned: the same length in time.
    expect(previousRange(d('2024-03-06T12:00:00Z'), d('2024-03-08T00:00:00Z'))).toEqual({ from: d('2024-03-05T00:00:00Z'), to: d('2024-03-06T12:00:00Z') });
  });

  it('compares whole calendar months with as many whole months before', () => {
    // Q2 2023 has 91 days, Q1 90: the previous quarter, not 91 days back.
    expect(previousRange(d('2023-04-01T00:00:00Z'), d('2023-07-01T00:00:00Z'))).toEqual({ from: d('2023-01-01T00:00:00Z'), to: d('2023-04-01T00:00:00Z') });
    expect(previousRange(d('2024-01-01T00:00:00Z'), d('2025-01-01T00:00:00Z')).from).toEqual(d('2023-01-01T00:00:00Z'));
    expect(previousRange(d('2024-03-01T00:00:00Z'), d('2024-04-01T00:00:00Z')).from).toEqual(d('2024-02-01T00:00:00Z'));
  });
});

describe('periodEndAsOf and periodExposureDays', () => {
  const now = d('2024-03-20T12:00:00Z');
  it('reads a period that has not ended at now', () => {
    expect(periodEndAsOf(d('2024-03-25T00:00:00Z'), now)).toEqual(now);
    expect(periodEndAsOf(d('2024-03-18T00:00:00Z'), now)).toEqual(d('2024-03-18T00:00:00Z'));
  });

  it('cuts a period by the range and by the clock', () => {
    const from = d('2024-03-06T00:00:00Z');
    const to = d('2024-04-01T00:00:00Z');
    expect(periodExposureDays(d('2024-03-04T00:00:00Z'), d('2024-03-11T00:00:00Z'), from, to, now)).toBe(5);
    expect(periodExposureDays(d('2024-03-11T00:00:00Z'), d('2024-03-18T00:00:00Z'), from, to, now)).toBe(7);
    expect(periodExposureDays(d('2024-03-18T00:00:00Z'), d('2024-03-25T00:00:00Z'), from, to, now)).toBe(2.5);
    expect(periodExposureDays(d('2024-03-25T00:00:00Z'), d('2024-04-01T00:00:00Z'), from, to, now)).toBe(0);
  });
});

describe('overdueCountsAt', () => {
  const items = [
    { dueAt: d('2024-03-10T00:00:00Z'), completedAt: null },
    { dueAt: d('2024-03-10T00:00:00Z'), completedAt: d('2024-03-15T00:00:00Z') },
    { dueAt: d('2024-03-20T00:00:00Z'), completedAt: d('2024-03-19T00:00:00Z') },
  ];
  it('counts items due before the instant and not yet closed then', () => {
    expect(overdueCountsAt(items, [d('2024-03-10T00:00:00Z'), d('2024-03-11T00:00:00Z'), d('2024-03-15T00:00:00Z'), d('2024-03-21T00:00:00Z')])).toEqual([0, 2, 1, 1]);
  });

  it('is zero without items or instants', () => {
    expect(overdueCountsAt([], [d('2024-03-10T00:00:00Z')])).toEqual([0]);
    expect(overdueCountsAt(items, [])).toEqual([]);
  });
});
