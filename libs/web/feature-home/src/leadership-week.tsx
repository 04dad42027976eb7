import { useMemo } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { errorMessage, type Severity } from '@hindsight/web-data-access';
import { ErrorState, LoadingState, Table } from '@hindsight/web-ui';
import { LeadershipWeek as LeadershipWeekQuery } from './home.operations';

const DAY = 86_400_000;
const SEVERITIES: Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

/** Monday 00:00 UTC of the week holding `now`: the report's weekly periods start there. */
function weekStart(now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY);
}

const average = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
const oneDecimal = (n: number) => (Math.round(n * 10) / 10).toString();

/**
 * Leadership's home (VIEWERs never edit, so nothing waits on them): this week against the
 * average of the four weeks before, by team-independent totals only — never per person.
 */
export function LeadershipWeek() {
  const vars = useMemo(() => {
    const now = new Date();
    const start = weekStart(now);
    const at = (weeks: number) => new Date(now.getTime() - weeks * 7 * DAY).toISOString();
    return { start, variables: { filter: { from: new Date(start.getTime() - 28 * DAY).toISOString(), to: now.toISOString(), interval: 'WEEK' as const }, w1: at(1), w2: at(2), w3: at(3), w4: at(4) } };
  }, []);
  const { data, loading, error, refetch } = useQuery(LeadershipWeekQuery, { variables: vars.variables });
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (loading && !data) return <LoadingState label="Summing up the week…" />;
  if (!data) return null;

  const points = data.reliabilityReport.points;
  const current = points.filter((p) => new Date(p.periodStart).getTime() >= vars.start.getTime());
  const previous = points.filter((p) => new Date(p.periodStart).getTime() < vars.start.getTime()).slice(-4);
  const count = (ps: typeof points, severity: Severity) => ps.reduce((n, p) => n + (p.bySeverity.find((s) => s.severity === severity)?.count ?? 0), 0);
  const exhausted = (budgets: { remainingMinutes: number }[]) => budgets.filter((b) => b.remainingMinutes <= 0).length;
  const budgetsBefore = average([data.w1, data.w2, data.w3, data.w4].map(exhausted));

  return (
    <section className="hs-card" aria-labelledby="week-title">
      <h2 id="week-title">This week</h2>
      <div className="hs-week">
        <div>
          <h3>New incidents by severity</h3>
          <Table
            label="New incidents by severity"
            cards={false}
            rows={SEVERITIES}
            rowKey={(s) => s}
            columns={[
              { key: 'severity', header: 'Severity', rowHeader: true, render: (s) => s },
              { key: 'week', header: 'This week', align: 'end', render: (s) => count(current, s) },
              { key: 'avg', header: 'Weekly average, 4 weeks before', align: 'end', render: (s) => oneDecimal(count(previous, s) / Math.max(1, previous.length)) },
            ]}
          />
        </div>
        <div>
          <h3>Error budgets exhausted</h3>
          <p className="hs-week__figure">{exhausted(data.now)}</p>
          <p className="hs-muted">of {data.now.length} SLOs now; {oneDecimal(budgetsBefore)} on average at the same point of the four weeks before.</p>
        </div>
        <div>
          <h3>Overdue P0/P1 action items</h3>
          <p className="hs-week__figure">{data.overdueUrgent.totalCount}</p>
          <p className="hs-muted">open and past their due date now, across all teams.</p>
        </div>
      </div>
      <p>
        <Link to="/reliability">See the trends, error budgets and segments in Reliability</Link>
      </p>
    </section>
  );
}
