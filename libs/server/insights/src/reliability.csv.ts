import type { ReliabilityReportType, StatsType } from './insights.types';

const cell = (v: string | number | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const COLUMNS = ['period_start', 'incidents', 'sev1', 'sev2', 'sev3', 'sev4', 'ttr_count', 'ttr_median_minutes', 'ttr_p90_minutes', 'ttr_max_minutes', 'cost'];

function row(label: string, incidents: number, bySeverity: { count: number }[], ttr: StatsType, cost: number): string {
  return [label, incidents, ...bySeverity.map((s) => s.count), ttr.count, ttr.median, ttr.p90, ttr.max, cost].map(cell).join(',');
}

/**
 * The report's trend as CSV (RFC 4180, CRLF): one row per period, then a `total` row for the
 * whole range. The other figures (time to detect and mitigate, factors, repeats, action items)
 * are in the JSON export, which has the GraphQL report's shape.
 */
export function reliabilityCsv(report: ReliabilityReportType): string {
  const severityTotals = ['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((s) => ({
    count: report.points.reduce((n, p) => n + (p.bySeverity.find((b) => b.severity === s)?.count ?? 0), 0),
  }));
  const lines = [
    COLUMNS.join(','),
    ...report.points.map((p) => row(p.periodStart.toISOString(), p.incidents, p.bySeverity, p.timeToResolveMinutes, p.cost)),
    row('total', report.incidents, severityTotals, report.timeToResolveMinutes, report.totalCost),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
