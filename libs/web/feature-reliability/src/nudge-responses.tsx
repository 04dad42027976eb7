import { useQuery } from '@apollo/client/react';
import { errorMessage, graphql, type LadderStep } from '@hindsight/web-data-access';
import { ErrorState, LoadingState, Table } from '@hindsight/web-ui';

export const NudgeResponsesQuery = graphql(`
  query NudgeResponsesView($filter: ReliabilityFilter!) {
    reliabilityReport(filter: $filter) {
      nudgeResponses {
        team {
          id
          name
        }
        step
        nudges
        answeredWithinTwoDays
        answeredShare
        medianHoursToAnswer
      }
    }
  }
`);

const STEP: Record<LadderStep, string> = { DUE_SOON: 'Due soon', DUE: 'Due', OVERDUE: 'Overdue', ESCALATED: 'Escalated', LEADERSHIP: 'Leadership' };

export const nudgeResponsesVariables = (from: string, to: string, teamId: string | null) => ({ filter: { from, to, teamId } });

/** How teams answer reminders, by ladder step: a team's habit to improve, never a ranking of people. */
export function NudgeResponses({ from, to, teamId }: { from: string; to: string; teamId: string | null }) {
  const { data, error, refetch } = useQuery(NudgeResponsesQuery, { variables: nudgeResponsesVariables(from, to, teamId) });
  const rows = data?.reliabilityReport.nudgeResponses ?? [];
  return (
    <section className="hs-card" aria-labelledby="nudge-responses">
      <h2 id="nudge-responses">How teams answer reminders</h2>
      <p className="hs-muted">
        Reminders sent in the period, by team and step: the share answered within 2 days (any action on the item by its assignee, a member or the manager), and the median time to an answer.
      </p>
      {error && !data ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : !data ? (
        <LoadingState label="Loading reminder responses…" />
      ) : rows.length === 0 ? (
        <p className="hs-muted">No reminders were sent in this period.</p>
      ) : (
        <Table
          label="Reminder responses"
          rows={rows}
          rowKey={(r) => `${r.team?.id ?? 'none'}-${r.step}`}
          columns={[
            { key: 'team', header: 'Team', render: (r) => r.team?.name ?? '—', sortValue: (r) => r.team?.name ?? null },
            { key: 'step', header: 'Step', render: (r) => STEP[r.step] },
            { key: 'nudges', header: 'Reminders', align: 'end', render: (r) => r.nudges, sortValue: (r) => r.nudges },
            {
              key: 'answered',
              header: 'Answered within 2 days',
              align: 'end',
              render: (r) => (r.answeredShare === null || r.answeredShare === undefined ? '—' : `${Math.round(r.answeredShare * 100)} % (${r.answeredWithinTwoDays})`),
              sortValue: (r) => r.answeredShare ?? null,
            },
            {
              key: 'median',
              header: 'Median time to answer',
              align: 'end',
              render: (r) => (r.medianHoursToAnswer === null || r.medianHoursToAnswer === undefined ? '—' : `${r.medianHoursToAnswer.toFixed(1)} h`),
              sortValue: (r) => r.medianHoursToAnswer ?? null,
            },
          ]}
        />
      )}
    </section>
  );
}
