import { Link } from 'react-router';
import type { ReportFiguresFragment } from '@hindsight/web-data-access';
import { formatDate, formatMinutes } from '@hindsight/web-ui';
import type { HeadlineFigureLike } from './headline';
import { Delta } from './review-sections';
import { percentText } from './report-sections';

/** What the section reads of the review: the report's DORA figures, their comparison, the incidents shipped on an empty budget. */
export interface DoraReview {
  current: ReportFiguresFragment;
  headline: readonly HeadlineFigureLike[];
  shippedOnEmptyBudget: readonly {
    incident: { id: string; reference: string; title: string };
    service: { id: string; name: string };
    slo: { id: string; dimension: string; objective: number; segment?: string | null };
    changeId: string;
    version?: string | null;
    finishedAt: string;
    remainingMinutes: number;
  }[];
}

const perDay = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} a day`;

/**
 * DORA (docs/dora.md): deployment frequency, change failure rate with its count (an interval
 * while the count is small, "too few to tell" below 5), failed deployment recovery time as
 * median and p90 — each against the previous period — and the incidents whose triggering
 * change shipped on an empty error budget. Services and changes only: nobody's name.
 */
export function DoraSection({ review }: { review: DoraReview }) {
  const d = review.current.dora;
  const fig = (metric: HeadlineFigureLike['metric']) => review.headline.find((h) => h.metric === metric);
  const delta = (metric: HeadlineFigureLike['metric']) => {
    const f = fig(metric);
    return f ? <Delta figure={f} /> : null;
  };
  const rate =
    d.changeFailureRate === null || d.changeFailureRate === undefined
      ? 'no deployments'
      : d.changeFailureRateTooFewToTell
        ? 'too few to tell'
        : percentText(d.changeFailureRate);
  const interval =
    !d.changeFailureRateTooFewToTell && d.changeFailureRateLow !== null && d.changeFailureRateLow !== undefined && d.changeFailureRateHigh !== null && d.changeFailureRateHigh !== undefined
      ? ` (95 % interval ${percentText(d.changeFailureRateLow)}–${percentText(d.changeFailureRateHigh)})`
      : '';
  return (
    <section className="hs-card" aria-labelledby="dora-figures" data-testid="dora-section">
      <h2 id="dora-figures">Changes and recovery (DORA)</h2>
      <dl className="hs-dl">
        <dt>Deployment frequency</dt>
        <dd data-testid="dora-frequency">
          {perDay(d.deploymentsPerDay)} <span className="hs-muted">({d.deployments} to production)</span> {delta('DEPLOYMENTS_PER_DAY')}
        </dd>
        <dt>Change failure rate</dt>
        <dd data-testid="dora-failure-rate">
          {rate}
          {interval} <span className="hs-muted">({d.failedChanges} failed of {d.deployments})</span> {delta('CHANGE_FAILURE_RATE')}
        </dd>
        <dt>Recovery from a failed change</dt>
        <dd data-testid="dora-recovery">
          median {formatMinutes(d.recoveryMedianMinutes)} {delta('RECOVERY_MEDIAN')} · p90 {formatMinutes(d.recoveryP90Minutes)} {delta('RECOVERY_P90')}{' '}
          <span className="hs-muted">({d.recoveryMinutes.count} recovered)</span>
        </dd>
      </dl>
      <p className="hs-muted hs-small">
        A failed change is a production change linked to an incident as triggering or contributing; recovery runs from the change to the incident&apos;s mitigation. By service and
        team, never by person.
      </p>
      {review.shippedOnEmptyBudget.length > 0 && (
        <>
          <h3>Shipped on an empty budget</h3>
          <ul data-testid="shipped-on-empty-budget">
            {review.shippedOnEmptyBudget.map((s) => (
              <li key={`${s.incident.id}:${s.slo.id}`}>
                <Link to={`/incidents/${s.incident.reference}`}>{s.incident.reference}</Link> {s.incident.title}: its triggering change to {s.service.name}
                {s.version ? ` (${s.version})` : ''} shipped {formatDate(s.finishedAt)} with the {s.slo.dimension.toLowerCase()} SLO{s.slo.segment ? ` for ${s.slo.segment}` : ''} at{' '}
                {formatMinutes(Math.abs(s.remainingMinutes))} over budget
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
