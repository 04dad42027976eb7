import type { DoraFiguresType, ReliabilityReportType, StatsType } from './insights.types';

/**
 * One RFC 4180 cell. Text that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab,
 * CR first) is prefixed with `'` (OWASP's CSV injection advice); numbers stay numbers. Every
 * column is a figure or a date today: this keeps a future text column (a service or team name)
 * from running in a reader's spreadsheet.
 */
export const csvCell = (v: string | number | null): string => {
  if (v === null) return '';
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const COLUMNS = [
  'period_start', 'incidents', 'sev1', 'sev2', 'sev3', 'sev4', 'ttr_count', 'ttr_median_minutes', 'ttr_p90_minutes', 'ttr_max_minutes', 'cost',
  // DORA (docs/dora.md), after the incident figures so that readers of the earlier columns keep working.
  'deployments', 'deployments_per_day', 'failed_changes', 'change_failure_rate', 'change_failure_rate_low', 'change_failure_rate_high',
  'recovery_count', 'recovery_median_minutes', 'recovery_p90_minutes',
];

function row(label: string, incidents: number, bySeverity: { count: number }[], ttr: StatsType, cost: number, dora: DoraFiguresType): string {
  return [
    label, incidents, ...bySeverity.map((s) => s.count), ttr.count, ttr.median, ttr.p90, ttr.max, cost,
    dora.deployments, dora.deploymentsPerDay, dora.failedChanges, dora.changeFailureRate, dora.changeFailureRateLow, dora.changeFailureRateHigh,
    dora.recoveryMinutes.count, dora.recoveryMedianMinutes, dora.recoveryP90Minutes,
  ].map(csvCell).join(',');
}

/**
 * The report's trend as CSV (RFC 4180, CRLF): one row per period, then a `total` row for the
 * whole range, each with its DORA figures (empty where a figure is null). The other figures (time to detect and mitigate, factors, repeats, action items)
 * are in the JSON export, which has the GraphQL report's shape.
 */
export function reliabilityCsv(report: ReliabilityReportType): string {
  const severityTotals = ['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((s) => ({
    count: report.points.reduce((n, p) => n + (p.bySeverity.find((b) => b.severity === s)?.count ?? 0), 0),
  }));
  const lines = [
    COLUMNS.join(','),
    ...report.points.map((p) => row(p.periodStart.toISOString(), p.incidents, p.bySeverity, p.timeToResolveMinutes, p.cost, p.dora)),
    row('total', report.incidents, severityTotals, report.timeToResolveMinutes, report.totalCost, report.dora),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
