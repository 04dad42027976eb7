import { actionItemRoi, averageIncidentCost, incidentsPerYear, roiAnchor, roiLookback } from './roi.metric';

describe('actionItemRoi (PRODUCT.md 5)', () => {
  it('is (avoided per year × average past cost) ÷ (effort × person-day cost)', () => {
    // (2 × 12000) ÷ (5 × 1200) = 4
    expect(actionItemRoi({ expectedIncidentsAvoidedPerYear: 2, averageCostOfPastIncidents: 12000, effortDays: 5, personDayCost: 1200 })).toBe(4);
    expect(actionItemRoi({ expectedIncidentsAvoidedPerYear: 0.5, averageCostOfPastIncidents: 1000, effortDays: 10, personDayCost: 1000 })).toBe(0.05);
    expect(actionItemRoi({ expectedIncidentsAvoidedPerYear: 0, averageCostOfPastIncidents: 1000, effortDays: 1, personDayCost: 1000 })).toBe(0);
  });

  it('null without past incidents to price', () => {
    expect(actionItemRoi({ expectedIncidentsAvoidedPerYear: 2, averageCostOfPastIncidents: null, effortDays: 5, personDayCost: 1200 })).toBeNull();
    expect(actionItemRoi({ expectedIncidentsAvoidedPerYear: 2, averageCostOfPastIncidents: averageIncidentCost([]), effortDays: 5, personDayCost: 1200 })).toBeNull();
  });

  it('null for a missing or unusable input', () => {
    const base = { expectedIncidentsAvoidedPerYear: 2, averageCostOfPastIncidents: 1000, effortDays: 5, personDayCost: 1200 };
    expect(actionItemRoi({ ...base, expectedIncidentsAvoidedPerYear: undefined })).toBeNull();
    expect(actionItemRoi({ ...base, effortDays: null })).toBeNull();
    expect(actionItemRoi({ ...base, effortDays: 0 })).toBeNull();
    expect(actionItemRoi({ ...base, personDayCost: 0 })).toBeNull();
    expect(actionItemRoi({ ...base, expectedIncidentsAvoidedPerYear: -1 })).toBeNull();
    expect(actionItemRoi({ ...base, averageCostOfPastIncidents: Number.NaN })).toBeNull();
  });
});

describe('averageIncidentCost', () => {
  it('is the mean of known costs', () => {
    expect(averageIncidentCost([100, 200, 600])).toBe(300);
    expect(averageIncidentCost([100, Number.NaN])).toBe(100);
    expect(averageIncidentCost([0])).toBe(0);
  });
});

describe('incidentsPerYear', () => {
  it('annualises a count', () => {
    expect(incidentsPerYear(3, 365)).toBe(3);
    expect(incidentsPerYear(1, 73)).toBe(5);
    expect(incidentsPerYear(0, 90)).toBe(0);
  });
  it('null for a non-positive window or negative count', () => {
    expect(incidentsPerYear(3, 0)).toBeNull();
    expect(incidentsPerYear(-1, 30)).toBeNull();
  });
});

describe('roiLookback', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  it('looks back a year from completion', () => {
    expect(roiLookback(new Date('2024-07-01T00:00:00Z'), now)).toEqual({ from: new Date('2023-07-02T00:00:00Z'), to: new Date('2024-07-01T00:00:00Z') });
  });
  it('looks back a year from now while the item is open (or completed in the future)', () => {
    expect(roiLookback(null, now)).toEqual({ from: new Date('2024-01-02T00:00:00Z'), to: now });
    expect(roiLookback(new Date('2025-02-01T00:00:00Z'), now).to).toEqual(now);
  });
});

describe('roiAnchor', () => {
  it('is the completion of a DONE item only: an open or dropped one looks back from now', () => {
    const at = new Date('2024-07-01T00:00:00Z');
    expect(roiAnchor({ status: 'DONE', completedAt: at })).toBe(at);
    expect(roiAnchor({ status: 'WONT_DO', completedAt: at })).toBeNull();
    expect(roiAnchor({ status: 'IN_PROGRESS', completedAt: null })).toBeNull();
  });
});
