import { Suspense } from 'react';
import type { ReportFiguresFragment } from '@hindsight/web-data-access';
import { formatMinutes, formatMoney, labelOf, LoadingState } from '@hindsight/web-ui';
import { HBars, Histogram } from './lazy-charts';

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

/** What the trends do not show: where time to resolve falls, the factor categories behind the incidents, and action-item health. */
export function ReportDetails({ report }: { report: ReportFiguresFragment }) {
  const ttr = report.timeToResolveMinutes;
  const health = report.actionItems;
  return (
    <Suspense fallback={<LoadingState label="Drawing charts…" />}>
      <div className="hs-grid-2">
        <section className="hs-card" aria-labelledby="chart-factors">
          <h2 id="chart-factors">Top contributing factor categories</h2>
          {report.topFactorCategories.length === 0 ? (
            <p className="hs-muted">No contributing factors recorded for these incidents yet.</p>
          ) : (
            <HBars label="Incidents per factor category" categoryLabel="Factor category" valueLabel="Incidents" items={report.topFactorCategories.map((c) => ({ label: labelOf('FactorCategory', c.category), value: c.count }))} />
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
        <section className="hs-card hs-span-all" aria-labelledby="chart-ttr">
          <h2 id="chart-ttr">Time to resolve across the range</h2>
          <p className="hs-muted">
            Median {formatMinutes(ttr.median)}, p90 {formatMinutes(ttr.p90)}, max {formatMinutes(ttr.max)} over {ttr.count} resolved incidents.
          </p>
          <Histogram bins={ttr.histogram} median={ttr.median} p90={ttr.p90} title="Distribution of time to resolve" formatBound={(v) => formatMinutes(v)} yLabel="Incidents" xLabel="Time to resolve (each bar: up to the duration under it)" />
        </section>
      </div>
    </Suspense>
  );
}
