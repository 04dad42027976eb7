import { DURATION_SPANS, durationMinutes, MILESTONES } from '../incidents/milestones.rule';
import { DAY_HISTOGRAM_BOUNDS, DISTRIBUTION_QUANTILES, MINUTE_HISTOGRAM_BOUNDS } from './percentiles.metric';
import { OVERDUE_AGE_DAYS, overdueAgeDays, REPORT_DURATIONS, reportDurationSpan } from './report-metrics.metric';
import { reliabilityReport } from './reliability-report.metric';

const t = (hhmm: string): Date => new Date(`2024-05-01T${hhmm}:00Z`);

describe('the report distributions, declared once', () => {
  it('are TTD, TTM and TTR in minutes, with the minute bounds and the median and p90; TTR also per trend point', () => {
    expect(REPORT_DURATIONS.map((d) => [d.key, d.duration, d.perPeriod])).toEqual([
      ['ttd', 'timeToDetectMinutes', false],
      ['ttm', 'timeToMitigateMinutes', false],
      ['ttr', 'timeToResolveMinutes', true],
    ]);
    for (const d of REPORT_DURATIONS) {
      expect(d.bounds).toBe(MINUTE_HISTOGRAM_BOUNDS);
      expect(d.quantiles).toEqual({ median: 0.5, p90: 0.9 });
    }
    expect(new Set(REPORT_DURATIONS.map((d) => d.key)).size).toBe(REPORT_DURATIONS.length);
  });

  it('read the incident durations (DURATION_SPANS), whatever milestones those run between', () => {
    for (const d of REPORT_DURATIONS) expect(reportDurationSpan(d)).toBe(DURATION_SPANS[d.duration]);
    for (const span of Object.values(DURATION_SPANS)) expect(MILESTONES.indexOf(span.from)).toBeLessThan(MILESTONES.indexOf(span.to));
  });

  it('fill the report fields of the domain reference, over all and per trend point', () => {
    const times = { startedAt: t('10:00'), detectedAt: t('10:05'), acknowledgedAt: t('10:06'), mitigatedAt: t('10:40'), resolvedAt: t('12:00') };
    const incident = { id: 'a', severity: 'SEV2' as const, ...times, serviceIds: [], factorCategories: [], cost: 0 };
    const report = reliabilityReport({ from: t('00:00'), to: t('23:00'), interval: 'WEEK', incidents: [incident], history: [], actionItems: [], postmortems: [], now: t('23:00') });
    for (const d of REPORT_DURATIONS) {
      expect({ [d.duration]: report[d.duration].median }).toEqual({ [d.duration]: durationMinutes(d.duration, times) });
      if (d.perPeriod) expect(report.points[0][d.duration as 'timeToResolveMinutes'].median).toBe(durationMinutes(d.duration, times));
    }
  });

  it('and the overdue ages: days past due, with the day bounds', () => {
    expect(OVERDUE_AGE_DAYS).toEqual({ field: 'overdueAgeDays', bounds: DAY_HISTOGRAM_BOUNDS, quantiles: DISTRIBUTION_QUANTILES });
    expect(overdueAgeDays(Date.parse('2024-05-01T00:00:00Z'), Date.parse('2024-05-02T12:00:00Z'))).toBe(1.5);
  });
});
