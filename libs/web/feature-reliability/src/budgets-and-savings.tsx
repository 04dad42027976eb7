import { useQuery } from '@apollo/client/react';
import { errorMessage } from '@hindsight/web-data-access';
import { Badge, ErrorState, formatDate, formatMinutes, formatMoney, LoadingState } from '@hindsight/web-ui';
import { CostSavingsQuery, ErrorBudgetsQuery } from './reliability.operations';

export function ErrorBudgets({ serviceId, segment }: { serviceId: string | null; segment: string | null }) {
  const { data, error, refetch } = useQuery(ErrorBudgetsQuery, { variables: { serviceId, segment } });
  return (
    <section className="hs-card" aria-labelledby="error-budgets">
      <h2 id="error-budgets">Error budgets now{segment ? ` for ${segment}` : ''}</h2>
      {error && !data ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : !data ? (
        <LoadingState label="Loading error budgets…" />
      ) : data.errorBudgets.length === 0 ? (
        <p className="hs-muted">No SLOs match. Administrators add SLOs on the Services page.</p>
      ) : (
        <table className="hs-table">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">SLO</th>
              <th scope="col">Segment</th>
              <th scope="col">Budget</th>
              <th scope="col">Consumed</th>
              <th scope="col">Remaining</th>
            </tr>
          </thead>
          <tbody>
            {data.errorBudgets.map((b) => {
              const left = b.budgetMinutes > 0 ? b.remainingMinutes / b.budgetMinutes : 0;
              return (
                <tr key={b.slo.id}>
                  <td>{b.slo.service.name}</td>
                  <td>
                    {b.slo.dimension.toLowerCase()} {(b.slo.objective * 100).toFixed(2).replace(/\.?0+$/, '')} % / {b.slo.windowDays} d
                  </td>
                  <td>{b.slo.segment ?? 'everyone'}</td>
                  <td>{formatMinutes(b.budgetMinutes)}</td>
                  <td>{formatMinutes(b.consumedMinutes)}</td>
                  <td>
                    {b.remainingMinutes < 0 ? `−${formatMinutes(-b.remainingMinutes)}` : formatMinutes(b.remainingMinutes)}{' '}
                    <Badge tone={left < 0 ? 'danger' : left < 0.25 ? 'warning' : 'ok'}>{left < 0 ? 'exhausted' : `${Math.round(left * 100)} % left`}</Badge>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function CostSavings({ from, to, teamId, serviceId }: { from: string; to: string; teamId: string | null; serviceId: string | null }) {
  const { data, error, refetch } = useQuery(CostSavingsQuery, { variables: { filter: { from, to, teamId, serviceId } } });
  return (
    <section className="hs-card" aria-labelledby="cost-savings">
      <h2 id="cost-savings">What finished action items saved</h2>
      <p className="hs-muted">For each completed item: incidents and cost in the category and services it addressed, in equal windows before and after completion.</p>
      {error && !data ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : !data ? (
        <LoadingState label="Loading cost savings…" />
      ) : data.costSavings.items.length === 0 ? (
        <p className="hs-muted">No completed action items addressing a contributing factor in this period.</p>
      ) : (
        <>
          <p>
            Before: {data.costSavings.incidentsBefore} incidents, {formatMoney(data.costSavings.costBefore)}. After: {data.costSavings.incidentsAfter} incidents, {formatMoney(data.costSavings.costAfter)}.{' '}
            <strong>Saved {formatMoney(data.costSavings.savings)}</strong>.
          </p>
          <table className="hs-table">
            <thead>
              <tr>
                <th scope="col">Action item</th>
                <th scope="col">Team</th>
                <th scope="col">Category</th>
                <th scope="col">Window</th>
                <th scope="col">Incidents before → after</th>
                <th scope="col">Saved</th>
              </tr>
            </thead>
            <tbody>
              {data.costSavings.items.map((i) => (
                <tr key={i.actionItem.id}>
                  <td>
                    <a href={`/action-items/${i.actionItem.id}`}>{i.actionItem.title}</a>
                  </td>
                  <td>{i.actionItem.ownerTeam.name}</td>
                  <td>{i.category.replace(/_/g, ' ').toLowerCase()}</td>
                  <td>{Math.round(i.windowDays)} days</td>
                  <td>
                    {i.incidentsBefore} → {i.incidentsAfter}
                  </td>
                  <td>{formatMoney(i.savings)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hs-muted">Windows end at completion; data until {formatDate(to)}.</p>
        </>
      )}
    </section>
  );
}
