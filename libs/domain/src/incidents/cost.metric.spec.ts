import { incidentCost, incidentCostBreakdown, outageMinutes } from './cost.metric';

const at = (hhmm: string): Date => new Date(`2024-05-01T${hhmm}:00Z`);
const now = at('12:00');

describe('outageMinutes', () => {
  it('runs to mitigation when mitigated', () => {
    expect(outageMinutes({ startedAt: at('10:00'), mitigatedAt: at('10:30'), resolvedAt: at('11:30') }, now)).toBe(30);
  });
  it('runs to resolution when never mitigated', () => {
    expect(outageMinutes({ startedAt: at('10:00'), mitigatedAt: null, resolvedAt: at('11:30') }, now)).toBe(90);
  });
  it('runs to now while open', () => {
    expect(outageMinutes({ startedAt: at('10:00') }, now)).toBe(120);
  });
  it('is never negative', () => {
    expect(outageMinutes({ startedAt: at('13:00') }, now)).toBe(0);
    expect(outageMinutes({ startedAt: new Date('nope') }, now)).toBe(0);
  });
});

describe('incidentCost (PRODUCT.md 5)', () => {
  it('adds revenue loss, responder cost and SLA credits', () => {
    // 30 min × (100 + 50) × 0.5 + 4 h × 150 + 1000 = 2250 + 600 + 1000
    const b = incidentCostBreakdown(
      {
        times: { startedAt: at('10:00'), mitigatedAt: at('10:30'), resolvedAt: at('11:00') },
        revenuePerMinuteOfAffectedServices: [100, 50],
        impactFraction: 0.5,
        responderHours: 4,
        hourlyRate: 150,
        slaCredits: 1000,
      },
      now,
    );
    expect(b).toEqual({ outageMinutes: 30, revenueLoss: 2250, responderCost: 600, slaCredits: 1000, total: 3850 });
  });

  it('impact fraction defaults to 1', () => {
    expect(incidentCost({ outageMinutes: 10, revenuePerMinuteOfAffectedServices: [100], hourlyRate: 150 }, now)).toBe(1000);
    expect(incidentCost({ outageMinutes: 10, revenuePerMinuteOfAffectedServices: [100], impactFraction: null, hourlyRate: 150 }, now)).toBe(1000);
  });

  it('missing revenue, hours and credits count as 0', () => {
    expect(incidentCost({ outageMinutes: 60, revenuePerMinuteOfAffectedServices: [null, undefined, 20], hourlyRate: 150 }, now)).toBe(1200);
    expect(incidentCost({ outageMinutes: 60, revenuePerMinuteOfAffectedServices: [], responderHours: 2, hourlyRate: 150 }, now)).toBe(300);
    expect(incidentCost({ revenuePerMinuteOfAffectedServices: [100], hourlyRate: 150 }, now)).toBe(0);
  });

  it('explicit outage minutes win over times', () => {
    expect(incidentCost({ outageMinutes: 5, times: { startedAt: at('10:00') }, revenuePerMinuteOfAffectedServices: [10], hourlyRate: 0 }, now)).toBe(50);
  });

  it('an open incident keeps costing until now', () => {
    const input = { times: { startedAt: at('11:00') }, revenuePerMinuteOfAffectedServices: [10], hourlyRate: 0 };
    expect(incidentCost(input, at('11:30'))).toBe(300);
    expect(incidentCost(input, at('12:00'))).toBe(600);
  });

  it('clamps nonsense: negative figures count 0, the fraction stays within [0, 1]', () => {
    expect(incidentCost({ outageMinutes: -5, revenuePerMinuteOfAffectedServices: [-10, 10], impactFraction: 3, responderHours: -1, hourlyRate: 150, slaCredits: -5 }, now)).toBe(0);
    expect(incidentCost({ outageMinutes: 10, revenuePerMinuteOfAffectedServices: [10], impactFraction: 3, hourlyRate: 0 }, now)).toBe(100);
    expect(incidentCost({ outageMinutes: 10, revenuePerMinuteOfAffectedServices: [Number.NaN, 10], hourlyRate: 0 }, now)).toBe(100);
  });

  it('rounds to cents', () => {
    expect(incidentCost({ outageMinutes: 1, revenuePerMinuteOfAffectedServices: [0.1, 0.2], hourlyRate: 0 }, now)).toBe(0.3);
    expect(incidentCost({ outageMinutes: 1 / 3, revenuePerMinuteOfAffectedServices: [1], hourlyRate: 0 }, now)).toBe(0.33);
  });
});
