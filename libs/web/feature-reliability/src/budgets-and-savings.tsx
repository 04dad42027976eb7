import { useQuery } from '@apollo/client/react';
import { errorMessage } from '@hindsight/web-data-access';
import { Badge, ErrorState, formatDate, formatMinutes, formatMoney, LoadingState, Table, labelOf } from '@hindsight/web-ui';
import { CostSavingsQuery, ErrorBudgetsQuery } from './reliability.operations';

export const errorBudgetsVariables = (serviceId: string | null, segment: string | null) => ({ serviceId, segment });

export function ErrorBudgets({ serviceId, segment }: { serviceId: string | null; segment: string | null }) {
  const { data, error, refetch } = useQuery(ErrorBudgetsQuery, { variables: errorBudgetsVariables(serviceId, segment) });
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
        <Table
          label="Error budgets"
          rows={data.errorBudgets}
          rowKey={(b) => b.slo.id}
          columns={[
            { key: 'service', header: 'Service', render: (b) => b.slo.service.name, sortValue: (b) => b.slo.service.name },
            {
              key: 'slo',
              header: 'SLO',
              render: (b) => `${labelOf('SloDimension', b.slo.dimension)} ${(b.slo.objective * 100).toFixed(2).replace(/\.?0+$/, '')} % / ${b.slo.windowDays} d`,
            },
            { key: 'segment', header: 'Segment', render: (b) => b.slo.segment ?? 'everyone', sortValue: (b) => b.slo.segment ?? '' },
            { key: 'budget', header: 'Budget', align: 'end', render: (b) => formatMinutes(b.budgetMinutes), sortValue: (b) => b.budgetMinutes },
            { key: 'consumed', header: 'Consumed', align: 'end', render: (b) => formatMinutes(b.consumedMinutes), sortValue: (b) => b.consumedMinutes },
            {
              key: 'remaining',
              header: 'Remaining',
              render: (b) => {
                const left = b.budgetMinutes > 0 ? b.remainingMinutes / b.budgetMinutes : 0;
                return (
                  <>
                    {b.remainingMinutes < 0 ? `−${formatMinutes(-b.remainingMinutes)}` : formatMinutes(b.remainingMinutes)}{' '}
                    <Badge tone={left < 0 ? 'danger' : left < 0.25 ? 'warning' : 'ok'}>{left < 0 ? 'exhausted' : `${Math.round(left * 100)} % left`}</Badge>
                  </>
                );
              },
              sortValue: (b) => (b.budgetMinutes > 0 ? b.remainingMinutes / b.budgetMinutes : 0),
            },
          ]}
        />
      )}
    </section>
  );
}

export const costSavingsVariables = (from: string, to: string, teamId: string | null, serviceId: string | null) => ({ filter: { from, to, teamId, serviceId } });

export function CostSavings({ from, to, teamId, serviceId }: { from: string; to: string; teamId: string | null; serviceId: string | null }) {
  const { data, error, refetch } = useQuery(CostSavingsQuery, { variables: costSavingsVariables(from, to, teamId, serviceId) });
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
          <Table
            label="Savings by action item"
            rows={data.costSavings.items}
            rowKey={(i) => i.actionItem.id}
            columns={[
              { key: 'item', header: 'Action item', render: (i) => <a href={`/action-items/${i.actionItem.id}`}>{i.actionItem.title}</a>, sortValue: (i) => i.actionItem.title },
              { key: 'team', header: 'Team', render: (i) => i.actionItem.ownerTeam.name, sortValue: (i) => i.actionItem.ownerTeam.name },
              { key: 'category', header: 'Category', render: (i) => labelOf('FactorCategory', i.category), sortValue: (i) => i.category },
              { key: 'window', header: 'Window', align: 'end', render: (i) => `${Math.round(i.windowDays)} days`, sortValue: (i) => i.windowDays },
              { key: 'incidents', header: 'Incidents before → after', render: (i) => `${i.incidentsBefore} → ${i.incidentsAfter}` },
              { key: 'saved', header: 'Saved', align: 'end', render: (i) => formatMoney(i.savings), sortValue: (i) => i.savings },
            ]}
          />
          <p className="hs-muted">Windows end at completion; data until {formatDate(to)}.</p>
        </>
      )}
    </section>
  );
}
