import { useQuery } from '@apollo/client/react';
import { errorMessage, graphql, type RunbookVerdict } from '@hindsight/web-data-access';
import { ErrorState, LoadingState, Table } from '@hindsight/web-ui';

export const RunbookFiguresQuery = graphql(`
  query RunbookFiguresView($filter: ReliabilityFilter!) {
    reliabilityReport(filter: $filter) {
      runbooks {
        incidents
        coveredIncidents
        coverage
        staleRunbooks
        feedback {
          verdict
          count
        }
        byTeam {
          team {
            id
            name
          }
          incidents
          coveredIncidents
          coverage
          staleRunbooks
          feedback {
            verdict
            count
          }
        }
        byService {
          service {
            id
            name
          }
          incidents
          coveredIncidents
          coverage
          staleRunbooks
          feedback {
            verdict
            count
          }
        }
      }
    }
  }
`);

const VERDICT: Record<RunbookVerdict, string> = { HELPED: 'helped', MISSING_STEPS: 'missing steps', WRONG: 'wrong', OUTDATED: 'outdated', NOT_FOUND: 'not found', NOT_USED: 'not used' };

type Figures = { incidents: number; coveredIncidents: number; coverage?: number | null; staleRunbooks: number; feedback: { verdict: RunbookVerdict; count: number }[] };

const coverage = (f: Figures) => (f.coverage === null || f.coverage === undefined ? '—' : `${Math.round(f.coverage * 100)} % (${f.coveredIncidents} of ${f.incidents})`);
const feedback = (f: Figures) => f.feedback.filter((v) => v.count > 0).map((v) => `${v.count} ${VERDICT[v.verdict]}`).join(', ') || '—';

export const runbookFiguresVariables = (from: string, to: string, teamId: string | null, serviceId: string | null) => ({ filter: { from, to, teamId, serviceId } });

/** Runbook coverage of the period's incidents, what responders said of them, and how many are due for review. */
export function RunbookFigures({ from, to, teamId, serviceId }: { from: string; to: string; teamId: string | null; serviceId: string | null }) {
  const { data, error, refetch } = useQuery(RunbookFiguresQuery, { variables: runbookFiguresVariables(from, to, teamId, serviceId) });
  const r = data?.reliabilityReport.runbooks;
  const rows = (label: string, list: (Figures & { key: string; name: string })[]) => (
    <Table
      label={`Runbooks by ${label.toLowerCase()}`}
      rows={list}
      rowKey={(f) => f.key}
      columns={[
        { key: 'name', header: label, render: (f) => f.name, sortValue: (f) => f.name },
        { key: 'coverage', header: 'Incidents covered by a runbook', render: (f) => coverage(f), sortValue: (f) => f.coverage ?? null },
        { key: 'feedback', header: 'Feedback', render: (f) => feedback(f) },
        { key: 'stale', header: 'Runbooks due for review', align: 'end', render: (f) => f.staleRunbooks, sortValue: (f) => f.staleRunbooks },
      ]}
    />
  );
  return (
    <section className="hs-card" aria-labelledby="runbook-figures">
      <h2 id="runbook-figures">Runbooks</h2>
      <p className="hs-muted">An incident is covered when every affected service had a runbook when it started. Feedback is what responders recorded on these incidents; reviews due are counted now.</p>
      {error && !data ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : !r ? (
        <LoadingState label="Loading runbook figures…" />
      ) : (
        <>
          <p>
            Coverage {coverage(r)}; feedback: {feedback(r)}; {r.staleRunbooks} runbook{r.staleRunbooks === 1 ? '' : 's'} due for review.
          </p>
          {r.byTeam.length > 0 && rows('Team', r.byTeam.map((t) => ({ ...t, key: t.team.id, name: t.team.name })))}
          {r.byService.length > 0 && rows('Service', r.byService.map((s) => ({ ...s, key: s.service.id, name: s.service.name })))}
        </>
      )}
    </section>
  );
}
