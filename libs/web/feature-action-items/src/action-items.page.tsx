import { useMemo, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage, useSession } from '@hindsight/web-data-access';
import { Button, EmptyState, ErrorState, LoadingState, PageHeader, SelectField } from '@hindsight/web-ui';
import { ActionItemsList } from './action-items.operations';
import { ActionItemsTable } from './action-items-table';
import { actionItemsFilter, actionItemsView, PAGE_SIZE, type View } from './action-items.filter';

const VIEWS: { id: View; label: string }[] = [
  { id: 'mine', label: 'Mine' },
  { id: 'team', label: "My teams'" },
  { id: 'all', label: 'All' },
];

export function ActionItemsPage() {
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const { view, status, priority, overdue, linked } = actionItemsView(params, user);
  // Cursors of the pages before the current one belong to one filter: Back to another filter starts at its first page.
  const filterKey = params.toString();
  const [paging, setPaging] = useState<{ key: string; cursors: string[] }>({ key: filterKey, cursors: [] });
  const cursors = paging.key === filterKey ? paging.cursors : [];
  const setCursors = (change: (c: string[]) => string[]) => setPaging({ key: filterKey, cursors: change(cursors) });

  const filter = useMemo(() => actionItemsFilter({ view, status, priority, overdue, linked }, user), [view, status, priority, overdue, linked, user]);

  const { data, loading, error, refetch } = useQuery(ActionItemsList, {
    variables: { filter, first: PAGE_SIZE, after: cursors.at(-1) ?? null },
    fetchPolicy: 'cache-and-network',
  });

  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    // A new history entry per change, so Back restores the filter before.
    setParams(next);
  };

  const teamless = view === 'team' && user?.teams.length === 0;
  const connection = data?.actionItems;

  return (
    <>
      <PageHeader title="Action items" description="What we committed to after each incident, and where each one stands." />
      <nav className="hs-tabs" aria-label="Whose action items">
        {VIEWS.map((v) => (
          <Link key={v.id} to={`?${new URLSearchParams({ ...Object.fromEntries(params), view: v.id })}`} aria-current={view === v.id ? 'page' : undefined}>
            {v.label}
          </Link>
        ))}
      </nav>
      <form className="hs-row" aria-label="Filter action items" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => update('status', e.target.value === 'open' ? '' : e.target.value)}
          options={[
            { value: 'open', label: 'Open (open, in progress, blocked)' },
            { value: 'done', label: 'Done' },
            { value: 'wont', label: "Won't do" },
            { value: 'any', label: 'Any status' },
          ]}
        />
        <SelectField label="Priority" value={priority} placeholder="Any priority" onChange={(e) => update('priority', e.target.value)} options={['P0', 'P1', 'P2', 'P3'].map((p) => ({ value: p, label: p }))} />
        <SelectField
          label="Tracker"
          value={linked}
          placeholder="Linked or not"
          onChange={(e) => update('linked', e.target.value)}
          options={[
            { value: 'yes', label: 'Linked to a tracker' },
            { value: 'no', label: 'Not linked' },
          ]}
        />
        <div className="hs-field">
          <label>
            {/* Uncontrolled, re-keyed by the URL: the router applies search-param changes in a transition,
                so a controlled box would spring back until it lands (and look unclickable under load). */}
            <input key={String(overdue)} type="checkbox" defaultChecked={overdue} onChange={(e) => update('overdue', e.target.checked ? '1' : '')} /> Overdue only
          </label>
        </div>
      </form>
      {teamless ? (
        <EmptyState title="You are not on a team yet, so there are no team items to show." />
      ) : error && !connection ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : !connection ? (
        <LoadingState label="Loading action items…" />
      ) : connection.nodes.length === 0 ? (
        <EmptyState title={overdue ? 'Nothing overdue here.' : 'No action items match these filters.'} />
      ) : (
        <>
          <p className="hs-muted" aria-live="polite">
            {connection.totalCount} action item{connection.totalCount === 1 ? '' : 's'}
            {loading ? ' · refreshing…' : ''}
          </p>
          <ActionItemsTable items={connection.nodes} pickers />
          <div className="hs-row" style={{ marginTop: 12 }}>
            <Button variant="secondary" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Previous page
            </Button>
            <Button variant="secondary" disabled={!connection.pageInfo.hasNextPage} onClick={() => connection.pageInfo.endCursor && setCursors((c) => [...c, connection.pageInfo.endCursor as string])}>
              Next page
            </Button>
          </div>
        </>
      )}
    </>
  );
}
