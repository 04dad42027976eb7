import { MS_PER_DAY } from '../time/time.util';
import { doraDays, doraFigures, doraReference, emptyBudgetAt, failedChangeRecoveryMinutes, incidentRecoveredAt } from './dora.metric';
import { wilsonInterval } from './small-sample.metric';

const at = (iso: string): Date => new Date(iso);

describe('failedChangeRecoveryMinutes', () => {
  const finished = at('2026-03-02T10:00:00Z');

  it('runs from the change to its incident recovering', () => {
    expect(failedChangeRecoveryMinutes(finished, [at('2026-03-02T11:30:00Z')])).toBe(90);
  });

  it('takes the last of several incidents, and none while one is still on', () => {
    expect(failedChangeRecoveryMinutes(finished, [at('2026-03-02T10:10:00Z'), at('2026-03-02T12:00:00Z')])).toBe(120);
    expect(failedChangeRecoveryMinutes(finished, [at('2026-03-02T10:10:00Z'), null])).toBeNull();
    expect(failedChangeRecoveryMinutes(finished, [])).toBeNull();
  });

  it('is never negative', () => {
    expect(failedChangeRecoveryMinutes(finished, [at('2026-03-02T09:00:00Z')])).toBe(0);
  });
});

describe('incidentRecoveredAt', () => {
  it('is mitigation, else resolution, else null', () => {
    expect(incidentRecoveredAt({ mitigatedAt: at('2026-01-01T01:00:00Z'), resolvedAt: at('2026-01-01T02:00:00Z') })).toEqual(at('2026-01-01T01:00:00Z'));
    expect(incidentRecoveredAt({ mitigatedAt: null, resolvedAt: at('2026-01-01T02:00:00Z') })).toEqual(at('2026-01-01T02:00:00Z'));
    expect(incidentRecoveredAt({ mitigatedAt: null, resolvedAt: null })).toBeNull();
  });
});

describe('doraDays', () => {
  const from = at('2026-03-01T00:00:00Z');
  const to = at('2026-04-01T00:00:00Z');
  it('counts the days of the range that have passed', () => {
    expect(doraDays(from, to, at('2026-06-01T00:00:00Z'))).toBe(31);
    expect(doraDays(from, to, at('2026-03-11T12:00:00Z'))).toBe(10.5);
    expect(doraDays(from, to, at('2026-02-01T00:00:00Z'))).toBe(0);
  });
});

describe('doraFigures', () => {
  it('is empty without changes', () => {
    const f = doraFigures({ deployments: 0, failed: [], days: 7 });
    expect(f).toMatchObject({ deployments: 0, deploymentsPerDay: 0, failedChanges: 0, changeFailureRate: null, changeFailureRateLow: null, changeFailureRateHigh: null });
    expect(f.changeFailureRateTooFewToTell).toBe(true);
    expect(f.recoveryMinutes).toMatchObject({ count: 0, median: null, p90: null });
  });

  it('divides failed changes by deployments, with the interval while few', () => {
    const f = doraFigures({ deployments: 20, failed: [30, 60, null], days: 10 });
    expect(f.deploymentsPerDay).toBe(2);
    expect(f.failedChanges).toBe(3);
    expect(f.changeFailureRate).toBe(0.15);
    expect(f.changeFailureRateLow).toBe(wilsonInterval(3, 20).low);
    expect(f.changeFailureRateHigh).toBe(wilsonInterval(3, 20).high);
    expect(f.changeFailureRateTooFewToTell).toBe(false);
    // The unrecovered change is left out of the distribution: median of 30 and 60, p90 = 30 + 0.9 × 30.
    expect(f.recoveryMinutes).toMatchObject({ count: 2, median: 45, p90: 57, max: 60 });
  });

  it('drops the interval from 30 deployments on', () => {
    const f = doraFigures({ deployments: 300, failed: [10], days: 30 });
    expect(f.changeFailureRate).toBe(1 / 300);
    expect(f.changeFailureRateLow).toBeNull();
    expect(f.deploymentsPerDay).toBe(10);
  });

  it('gives no rate per day before the range has begun', () => {
    expect(doraFigures({ deployments: 0, failed: [], days: 0 }).deploymentsPerDay).toBe(0);
  });
});

describe('doraReference', () => {
  const from = at('2026-03-01T00:00:00Z');
  const to = at('2026-03-08T00:00:00Z');
  const now = at('2026-04-01T00:00:00Z');
  const incident = (mitigated: string | null, resolved: string | null) => ({ mitigatedAt: mitigated ? at(mitigated) : null, resolvedAt: resolved ? at(resolved) : null });

  it('counts production changes finished in [from, to), failed when linked to an incident', () => {
    const changes = [
      { finishedAt: from, production: true, linkedIncidents: [incident('2026-03-01T02:00:00Z', null)] },
      { finishedAt: at('2026-03-03T00:00:00Z'), production: true, linkedIncidents: [] },
      { finishedAt: at('2026-03-04T00:00:00Z'), production: false, linkedIncidents: [incident(null, '2026-03-04T01:00:00Z')] },
      { finishedAt: at('2026-03-05T00:00:00Z'), production: true, linkedIncidents: [incident(null, '2026-03-05T03:00:00Z')] },
      { finishedAt: at('2026-03-06T00:00:00Z'), production: true, linkedIncidents: [incident(null, null)] },
      { finishedAt: to, production: true, linkedIncidents: [] },
      { finishedAt: new Date(from.getTime() - 1), production: true, linkedIncidents: [] },
    ];
    const f = doraReference(changes, from, to, now);
    expect(f.deployments).toBe(4);
    expect(f.deploymentsPerDay).toBe(4 / 7);
    expect(f.failedChanges).toBe(3);
    expect(f.changeFailureRate).toBe(0.75);
    expect(f.changeFailureRateTooFewToTell).toBe(true);
    expect(f.recoveryMinutes).toMatchObject({ count: 2, median: 150, max: 180 });
    expect(f.days).toBe((to.getTime() - from.getTime()) / MS_PER_DAY);
  });
});

describe('emptyBudgetAt (shipped on an empty budget)', () => {
  // 99.9 % over 30 days: 43.2 minutes of budget.
  const slo = { serviceId: 's', dimension: 'AVAILABILITY' as const, segment: null, objective: 0.999, windowDays: 30 };
  const outage = (start: string, minutes: number | null, over: Partial<{ serviceIds: string[]; impactedDimensions: ('AVAILABILITY' | 'LATENCY')[] }> = {}) => ({
    startedAt: at(start), resolvedAt: minutes === null ? null : new Date(at(start).getTime() + minutes * 60_000),
    serviceIds: ['s'], impactedDimensions: ['AVAILABILITY' as const], segments: [], ...over,
  });

  it('is the budget when none was left at the change', () => {
    const b = emptyBudgetAt(slo, [outage('2026-03-01T00:00:00Z', 50)], at('2026-03-10T00:00:00Z'));
    expect(b?.budgetMinutes).toBeCloseTo(43.2, 9);
    expect(b?.remainingMinutes).toBeCloseTo(-6.8, 9);
  });

  it('is null with budget left, outside the window, or for incidents not counting against the SLO', () => {
    expect(emptyBudgetAt(slo, [outage('2026-03-01T00:00:00Z', 40)], at('2026-03-10T00:00:00Z'))).toBeNull();
    expect(emptyBudgetAt(slo, [outage('2026-01-01T00:00:00Z', 500)], at('2026-03-10T00:00:00Z'))).toBeNull();
    expect(emptyBudgetAt(slo, [outage('2026-03-01T00:00:00Z', 500, { impactedDimensions: ['LATENCY'] })], at('2026-03-10T00:00:00Z'))).toBeNull();
    expect(emptyBudgetAt(slo, [outage('2026-03-01T00:00:00Z', 500, { serviceIds: ['t'] })], at('2026-03-10T00:00:00Z'))).toBeNull();
  });

  it('counts an incident still open at the change up to the change', () => {
    expect(emptyBudgetAt(slo, [outage('2026-03-09T23:00:00Z', null)], at('2026-03-10T00:00:00Z'))?.remainingMinutes).toBeCloseTo(43.2 - 60, 9);
    expect(emptyBudgetAt(slo, [outage('2026-03-09T23:30:00Z', null)], at('2026-03-10T00:00:00Z'))).toBeNull();
  });
});
