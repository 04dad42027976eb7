import { MAX_REPORT_DAYS, MAX_REPORT_DAYS_BY_INTERVAL, ReportIncident, reliabilityReport, sumMoney, validateReportRange } from './reliability-report.metric';

const d = (s: string): Date => new Date(s);

describe('validateReportRange', () => {
  it('accepts [from, to) with from before to', () => {
    expect(validateReportRange({ from: d('2024-01-01T00:00:00Z'), to: d('2024-01-01T00:00:01Z') })).toEqual([]);
  });

  it('refuses an empty or reversed range on filter.to', () => {
    const at = d('2024-01-01T00:00:00Z');
    expect(validateReportRange({ from: at, to: at }).map((e) => e.field)).toEqual(['filter.to']);
    expect(validateReportRange({ from: at, to: d('2023-12-31T00:00:00Z') }).map((e) => e.field)).toEqual(['filter.to']);
  });

  it('refuses invalid dates on their own field', () => {
    expect(validateReportRange({ from: new Date('x'), to: d('2024-01-01T00:00:00Z') }).map((e) => e.field)).toEqual(['filter.from']);
    expect(validateReportRange({ from: d('2024-01-01T00:00:00Z'), to: null }, 'q').map((e) => e.field)).toEqual(['q.to']);
  });

  it('allows exactly MAX_REPORT_DAYS and refuses a millisecond more', () => {
    const from = d('2020-01-01T00:00:00Z');
    const to = new Date(from.getTime() + MAX_REPORT_DAYS * 86_400_000);
    expect(validateReportRange({ from, to })).toEqual([]);
    const errors = validateReportRange({ from, to: new Date(to.getTime() + 1) });
    expect(errors.map((e) => e.field)).toEqual(['filter.to']);
    expect(errors[0].reason).toContain('3653 days');
  });

  it('lets a monthly report span a century, and tells a weekly one that is too long to use MONTH', () => {
    const from = d('1930-01-01T00:00:00Z');
    const to = new Date(from.getTime() + MAX_REPORT_DAYS_BY_INTERVAL.MONTH * 86_400_000);
    expect(validateReportRange({ from, to }, 'filter', 'MONTH')).toEqual([]);
    expect(validateReportRange({ from, to: new Date(to.getTime() + 1) }, 'filter', 'MONTH')[0].reason).toContain('36525 days');
    const twentyYears = { from: d('2006-01-01T00:00:00Z'), to: d('2026-01-01T00:00:00Z') };
    expect(validateReportRange(twentyYears, 'filter', 'MONTH')).toEqual([]);
    const weekly = validateReportRange(twentyYears, 'filter', 'WEEK');
    expect(weekly).toEqual([{ field: 'filter.to', reason: expect.stringContaining('use interval MONTH') }]);
    const tenYears = { from: d('2016-01-01T00:00:00Z'), to: new Date(d('2016-01-01T00:00:00Z').getTime() + MAX_REPORT_DAYS * 86_400_000) };
    expect(validateReportRange(tenYears, 'filter', 'WEEK')).toEqual([]);
  });
});

describe('sumMoney', () => {
  it('adds cents without float noise', () => {
    expect(sumMoney([0.1, 0.2])).toBe(0.3);
    expect(sumMoney([])).toBe(0);
  });
});

describe('reliabilityReport (the reference definition)', () => {
  const inc = (id: string, startedAt: string, over: Partial<ReportIncident> = {}): ReportIncident => ({
    id, startedAt: d(startedAt), severity: 'SEV2', detectedAt: null, mitigatedAt: null, resolvedAt: null,
    serviceIds: ['svc'], factorCategories: [], cost: 0, ...over,
  });
  const from = d('2024-01-03T00:00:00Z'); // a Wednesday
  const to = d('2024-01-22T00:00:00Z'); // a Monday
  const now = d('2024-02-01T00:00:00Z');

  const incidents = [
    // Sunday 23:59 of the first week, resolved in the next week: counts where it started.
    inc('a', '2024-01-07T23:59:00Z', { resolvedAt: d('2024-01-08T00:09:00Z'), detectedAt: d('2024-01-08T00:01:00Z'), cost: 10.25, factorCategories: ['CAPACITY', 'CAPACITY'] }),
    inc('b', '2024-01-08T00:00:00Z', { severity: 'SEV1', resolvedAt: d('2024-01-08T00:30:00Z'), mitigatedAt: d('2024-01-08T00:20:00Z'), cost: 0.1, factorCategories: ['CAPACITY', 'NETWORK'] }),
    inc('c', '2024-01-09T00:00:00Z', { resolvedAt: d('2024-01-09T01:00:00Z'), cost: 0.2 }),
    inc('open', '2024-01-10T00:00:00Z', { cost: 5 }),
    // Outside [from, to): ignored even if passed.
    inc('late', '2024-01-22T00:00:00Z', { cost: 1000 }),
  ];
  const history = [{ id: 'old', startedAt: d('2023-12-20T00:00:00Z'), serviceIds: ['svc'], factorCategories: ['NETWORK' as const] }];

  const report = reliabilityReport({
    from, to, interval: 'WEEK', incidents, history, now,
    actionItems: [
      { status: 'OPEN', dueAt: d('2024-01-30T00:00:00Z') },
      { status: 'DONE', dueAt: d('2024-01-20T00:00:00Z'), completedAt: d('2024-01-19T00:00:00Z') },
    ],
    postmortems: [{ dueAt: d('2024-01-20T00:00:00Z'), publishedAt: d('2024-01-21T00:00:00Z') }],
  });

  it('has one point per week overlapping the range, empty ones included', () => {
    expect(report.points.map((p) => p.periodStart.toISOString())).toEqual([
      '2024-01-01T00:00:00.000Z', '2024-01-08T00:00:00.000Z', '2024-01-15T00:00:00.000Z',
    ]);
    expect(report.points.map((p) => p.incidents)).toEqual([1, 3, 0]);
    expect(report.points[1].bySeverity.find((s) => s.severity === 'SEV1')?.count).toBe(1);
    expect(report.points[2].timeToResolveMinutes).toMatchObject({ count: 0, median: null, p90: null, max: null });
  });

  it('computes continuous percentiles of the durations, leaving out missing milestones', () => {
    // resolve minutes: a 10, b 30, c 60 → median 30, p90 = 30 + (60 − 30) × 0.8 = 54
    expect(report.timeToResolveMinutes).toMatchObject({ count: 3, median: 30, p90: 54, max: 60 });
    expect(report.timeToDetectMinutes).toMatchObject({ count: 1, median: 2, p90: 2, max: 2 });
    expect(report.timeToMitigateMinutes).toMatchObject({ count: 1, median: 20 });
    expect(report.points[1].timeToResolveMinutes).toMatchObject({ count: 2, median: 45, p90: 57 });
  });

  it('totals cost per point and overall in cents', () => {
    expect(report.points.map((p) => p.cost)).toEqual([10.25, 5.3, 0]);
    expect(report.totalCost).toBe(15.55);
    expect(report.incidents).toBe(4);
  });

  it('counts incidents per factor category and repeats against history and earlier covered incidents', () => {
    expect(report.topFactorCategories).toEqual([{ category: 'CAPACITY', count: 2 }, { category: 'NETWORK', count: 1 }]);
    // b repeats a (CAPACITY, one minute earlier) and old (NETWORK).
    expect(report.repeatIncidents).toBe(1);
  });

  it('includes action-item health and postmortem timeliness', () => {
    expect(report.actionItems).toMatchObject({ open: 1, overdue: 1, done: 1, doneOnTime: 1, doneOnTimeRate: 1 });
    expect(report.postmortemsPublishedOnTimeRate).toBe(0);
  });
});
