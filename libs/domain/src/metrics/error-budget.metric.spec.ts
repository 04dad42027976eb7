import { BudgetIncident, countsAgainstSlo, errorBudget, objectiveFraction } from './error-budget.metric';

const MIN = 60_000;
const at = new Date('2024-06-29T00:00:00Z');
const windowStart = new Date('2024-06-01T00:00:00Z'); // at − 28 days
const rel = (base: Date, minutes: number): Date => new Date(base.getTime() + minutes * MIN);
const inc = (start: Date, end: Date | null): BudgetIncident => ({ startedAt: start, resolvedAt: end });
const consumed = (incidents: BudgetIncident[], windowDays = 28): number => errorBudget({ objective: 0.999, windowDays, at, incidents }).consumedMinutes;

describe('errorBudget (PRODUCT.md 5)', () => {
  it('budget = (1 − o) × w × 1440', () => {
    expect(errorBudget({ objective: 0.999, windowDays: 28, at, incidents: [] })).toEqual({ budgetMinutes: 40.32, consumedMinutes: 0, remainingMinutes: 40.32 });
    expect(errorBudget({ objective: 0.99, windowDays: 7, at, incidents: [] }).budgetMinutes).toBe(100.8);
    expect(errorBudget({ objective: 0.9995, windowDays: 30, at, incidents: [] }).budgetMinutes).toBe(21.6);
  });

  it('the window defaults to 28 days; a percentage objective reads as a fraction', () => {
    expect(errorBudget({ objective: 0.999, at, incidents: [] }).budgetMinutes).toBe(40.32);
    expect(errorBudget({ objective: 99.9, at, incidents: [] }).budgetMinutes).toBe(40.32);
  });

  it('consumes the minutes of an incident inside the window; remaining may go negative', () => {
    const r = errorBudget({ objective: 0.999, windowDays: 28, at, incidents: [inc(rel(windowStart, 60), rel(windowStart, 120))] });
    expect(r).toEqual({ budgetMinutes: 40.32, consumedMinutes: 60, remainingMinutes: -19.68 });
  });

  describe('window start edge (at − w days)', () => {
    it('an incident ending exactly at the window start consumes nothing', () => {
      expect(consumed([inc(rel(windowStart, -30), windowStart)])).toBe(0);
    });
    it('one ending 1 minute after it consumes 1 minute', () => {
      expect(consumed([inc(rel(windowStart, -30), rel(windowStart, 1))])).toBe(1);
    });
    it('one straddling it counts only from the window start', () => {
      expect(consumed([inc(rel(windowStart, -60), rel(windowStart, 30))])).toBe(30);
    });
    it('1 ms inside counts 1 ms', () => {
      expect(consumed([inc(rel(windowStart, -60), new Date(windowStart.getTime() + 1))])).toBeCloseTo(1 / MIN, 6);
    });
  });

  describe('window end edge (at)', () => {
    it('an open incident consumes up to at', () => {
      expect(consumed([inc(rel(at, -10), null)])).toBe(10);
    });
    it('one resolved after at is cut at at', () => {
      expect(consumed([inc(rel(at, -10), rel(at, 50))])).toBe(10);
    });
    it('one starting exactly at at, or later, consumes nothing', () => {
      expect(consumed([inc(at, null)])).toBe(0);
      expect(consumed([inc(rel(at, 5), rel(at, 10))])).toBe(0);
    });
    it('an incident covering the whole window consumes all of it', () => {
      expect(consumed([inc(rel(windowStart, -100), null)])).toBe(28 * 1440);
    });
  });

  describe('overlapping incidents count each minute once', () => {
    const base = rel(windowStart, 1000);
    it('partial overlap is merged', () => {
      expect(consumed([inc(base, rel(base, 60)), inc(rel(base, 30), rel(base, 90))])).toBe(90);
    });
    it('containment is merged', () => {
      expect(consumed([inc(base, rel(base, 100)), inc(rel(base, 10), rel(base, 20))])).toBe(100);
    });
    it('identical duplicates count once', () => {
      expect(consumed([inc(base, rel(base, 45)), inc(base, rel(base, 45))])).toBe(45);
    });
    it('touching and disjoint incidents add up', () => {
      expect(consumed([inc(base, rel(base, 10)), inc(rel(base, 10), rel(base, 20)), inc(rel(base, 100), rel(base, 105))])).toBe(25);
    });
    it('an open incident overlapping a closed one', () => {
      expect(consumed([inc(rel(at, -60), rel(at, -30)), inc(rel(at, -45), null)])).toBe(60);
    });
  });

  it('ignores incidents with an invalid start', () => {
    expect(consumed([inc(new Date('x'), null)])).toBe(0);
  });
});

describe('objectiveFraction', () => {
  it('keeps fractions, converts percentages', () => {
    expect(objectiveFraction(0.999)).toBe(0.999);
    expect(objectiveFraction(99.9)).toBe(0.999);
    expect(objectiveFraction(99.95)).toBe(0.9995);
    expect(objectiveFraction(99.99)).toBe(0.9999);
    expect(objectiveFraction(1)).toBe(1);
    expect(objectiveFraction(100)).toBe(100);
  });
});

describe('countsAgainstSlo', () => {
  const incident = { serviceIds: ['checkout', 'search'], impactedDimensions: ['AVAILABILITY' as const], segments: ['Enterprise', 'eu'] };
  it('needs the service and the dimension', () => {
    expect(countsAgainstSlo(incident, { serviceId: 'checkout', dimension: 'AVAILABILITY' })).toBe(true);
    expect(countsAgainstSlo(incident, { serviceId: 'billing', dimension: 'AVAILABILITY' })).toBe(false);
    expect(countsAgainstSlo(incident, { serviceId: 'checkout', dimension: 'LATENCY' })).toBe(false);
  });
  it('an SLO with a segment needs that segment (case-insensitive); one without counts all', () => {
    expect(countsAgainstSlo(incident, { serviceId: 'checkout', dimension: 'AVAILABILITY', segment: 'enterprise' })).toBe(true);
    expect(countsAgainstSlo(incident, { serviceId: 'checkout', dimension: 'AVAILABILITY', segment: ' EU ' })).toBe(true);
    expect(countsAgainstSlo(incident, { serviceId: 'checkout', dimension: 'AVAILABILITY', segment: 'free' })).toBe(false);
    expect(countsAgainstSlo({ ...incident, segments: [] }, { serviceId: 'checkout', dimension: 'AVAILABILITY', segment: 'free' })).toBe(false);
    expect(countsAgainstSlo({ ...incident, segments: [] }, { serviceId: 'checkout', dimension: 'AVAILABILITY', segment: null })).toBe(true);
    expect(countsAgainstSlo(incident, { serviceId: 'checkout', dimension: 'AVAILABILITY', segment: '' })).toBe(true);
  });
});
