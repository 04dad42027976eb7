import { lazy, Suspense } from 'react';
import type { ReportFiguresFragment, Severity } from '@hindsight/web-data-access';
import { formatMinutes, formatMoney, LoadingState } from '@hindsight/web-ui';
import { periodLabel } from './report-range';

const Charts = {
  StackedBars: lazy(() => import('@hindsight/web-charts').then((m) => ({ default: m.StackedBars }))),
  Histogram: lazy(() => import('@hindsight/web-charts').then((m) => ({ default: m.Histogram }))),
  HBars: lazy(() => import('@hindsight/web-charts').then((m) => ({ default: m.HBars }))),
};

const SEVERITY_SERIES: { key: Severity; label: string; color: string }[] = [
  { key: 'SEV1', label: 'SEV1', color: '#a8211a' },
  { key: 'SEV2', label: 'SEV2', color: '#d9661f' },
  { key: 'SEV3', label: 'SEV3', color: '#d4a017' },
  { key: 'SEV4', label: 'SEV4', color: '#8593b5' },
];

export const percentText = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${Math.round(rate * 100)} %`);

/** The headline figures, each a distribution or a count: never a mean on its own. */
export function KeyFigures({ report, label }: { report: ReportFiguresFragment; label?: string }) {
  const ttr = report.timeToResolveMinutes;
  return (
    <section className="hs-card" aria-label={label ? `Key figures: ${label}` : 'Key figures'}>
      {label && <h2>{label}</h2>}
      <dl className="hs-dl">
        <dt>Incidents</dt>
        <dd data-testid="figure-incidents">{report.incidents}</dd>
        <dt>Time to resolve</dt>
        <dd>
          median {formatMinutes(ttr.median)} · p90 {formatMinutes(ttr.p90)} · max {formatMinutes(ttr.max)} <span className="hs-muted">({ttr.count} resolved)</span>
        </dd>
        <dt>Repeat incidents</dt>
        <dd>{report.repeatIncidents}</dd>
        <dt>Postmortems published on time</dt>
        <dd>{percentText(report.postmortemsPublishedOnTimeRate)}</dd>
        <dt>Cost</dt>
        <dd>{formatMoney(report.totalCost)}</dd>
      </dl>
    </section>
  );
}

export function ReportCharts({ report }: { report: ReportFiguresFragment }) {
  const bars = report.points.map((p) => ({
    label: periodLabel(p.periodStart, report.interval),
    values: Object.fromEntries(p.bySeverity.map((s) => [s.severity, s.count])),
  }));
  const costBars = report.points.map((p) => ({ label: periodLabel(p.periodStart, report.interval), values: { cost: Math.round(p.cost) } }));
  const ttr = report.timeToResolveMinutes;
  const health = report.actionItems;
  return (
    <Suspense fallback={<LoadingState label="Drawing charts…" />}>
      <div className="hs-grid-2">
        <section className="hs-card" aria-labelledby="chart-incidents">
          <h2 id="chart-incidents">Incidents per {report.interval === 'WEEK' ? 'week' : 'month'}, by severity</h2>
          <Charts.StackedBars bars={bars} series={SEVERITY_SERIES} title={`Incidents per ${report.interval === 'WEEK' ? 'week' : 'month'} by severity`} />
        </section>
        <section className="hs-card" aria-labelledby="chart-ttr">
          <h2 id="chart-ttr">Time to resolve</h2>
          <p className="hs-muted">
            Median {formatMinutes(ttr.median)}, p90 {formatMinutes(ttr.p90)} over {ttr.count} resolved incidents. Durations are long-tailed, so we show the distribution, not an average.
          </p>
          <Charts.Histogram bins={ttr.histogram} median={ttr.median} p90={ttr.p90} title="Distribution of time to resolve" formatBound={(v) => formatMinutes(v)} />
        </section>
        <section className="hs-card hs-span-all" aria-labelledby="chart-durations">
          <h2 id="chart-durations">Detect, mitigate, resolve</h2>
          <table className="hs-table hs-table--figures">
            <thead>
              <tr>
                <th scope="col">From start to</th>
                <th scope="col">Incidents</th>
                <th scope="col">Median</th>
                <th scope="col">p90</th>
                <th scope="col">Max</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['detection', report.timeToDetectMinutes],
                  ['mitigation', report.timeToMitigateMinutes],
                  ['resolution', report.timeToResolveMinutes],
                ] as const
              ).map(([name, s]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{s.count}</td>
                  <td>{formatMinutes(s.median)}</td>
                  <td>{formatMinutes(s.p90)}</td>
                  <td>{formatMinutes(s.max)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="hs-card" aria-labelledby="chart-factors">
          <h2 id="chart-factors">Top contributing factor categories</h2>
          {report.topFactorCategories.length === 0 ? (
            <p className="hs-muted">No contributing factors recorded for these incidents yet.</p>
          ) : (
            <Charts.HBars label="Incidents per factor category" items={report.topFactorCategories.map((c) => ({ label: c.category.replace(/_/g, ' ').toLowerCase(), value: c.count }))} />
          )}
          <p>
            <strong>{report.repeatIncidents}</strong> repeat incident{report.repeatIncidents === 1 ? '' : 's'}: the same service with the same factor category within 90 days.
          </p>
        </section>
        <section className="hs-card" aria-labelledby="chart-actions">
          <h2 id="chart-actions">Action-item health</h2>
          <dl className="hs-dl">
            <dt>Open</dt>
            <dd>{health.open}</dd>
            <dt>Overdue now</dt>
            <dd>
              {health.overdue}
              {health.overdueAgeDays.count > 0 && (
                <span className="hs-muted">
                  {' '}
                  (median {health.overdueAgeDays.median?.toFixed(0)} days, p90 {health.overdueAgeDays.p90?.toFixed(0)} days overdue)
                </span>
              )}
            </dd>
            <dt>Done</dt>
            <dd>{health.done}</dd>
            <dt>Done on time</dt>
            <dd>
              {health.doneOnTime} ({percentText(health.doneOnTimeRate)})
            </dd>
          </dl>
        </section>
        <section className="hs-card" aria-labelledby="chart-cost">
          <h2 id="chart-cost">Cost per {report.interval === 'WEEK' ? 'week' : 'month'}</h2>
          <p className="hs-muted">Outage minutes × revenue per minute × impact, plus responder time and SLA credits. Total {formatMoney(report.totalCost)}.</p>
          <Charts.StackedBars bars={costBars} series={[{ key: 'cost', label: 'cost', color: '#3048b8' }]} title="Incident cost per period" />
        </section>
      </div>
    </Suspense>
  );
}
