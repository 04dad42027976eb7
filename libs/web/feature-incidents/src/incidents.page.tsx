import './incidents.css';
import { useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { INCIDENT_STATUSES, SEVERITIES } from '@hindsight/domain';
import { errorMessage, fieldProblems, useSession, type IncidentFilter, type IncidentStatus, type Severity } from '@hindsight/web-data-access';
import { Alert, Button, EmptyState, enumOptions, ErrorState, formatDateTime, formatMinutes, LoadingState, PageHeader, SelectField, Table, TextField } from '@hindsight/web-ui';
import { IncidentPickers, IncidentsList } from './incidents.operations';
import { PostmortemCell, RepeatBadge, SeverityBadge, StatusBadge } from './badges';
import { canEditIncidents } from './incident.view';

const PAGE_SIZE = 25;
const FILTER_KEYS = ['search', 'q', 'severity', 'status', 'service', 'team', 'segment', 'from', 'to'] as const;

/** A date input's day as the start of that local day, ISO. */
function dayStart(value: string | null, plusDays = 0): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

export function IncidentsPage() {
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  // The filters live in the URL (shareable, and Back restores them); `q` is the older name of `search`.
  const urlSearch = params.get('search') ?? params.get('q') ?? '';
  const urlSegment = params.get('segment') ?? '';
  // Cursors of the pages before the current one: "Previous" pops, "Next" pushes. They belong to one filter.
  const filterKey = params.toString();
  const [paging, setPaging] = useState<{ key: string; cursors: string[] }>({ key: filterKey, cursors: [] });
  const cursors = paging.key === filterKey ? paging.cursors : [];
  const setCursors = (change: (c: string[]) => string[]) => setPaging({ key: filterKey, cursors: change(cursors) });
  const [search, setSearch] = useState(urlSearch);
  const [segment, setSegment] = useState(urlSegment);
  // The text boxes follow the URL when it changes under them (Back, a followed link).
  const [shown, setShown] = useState({ search: urlSearch, segment: urlSegment });
  if (shown.search !== urlSearch || shown.segment !== urlSegment) {
    setShown({ search: urlSearch, segment: urlSegment });
    setSearch(urlSearch);
    setSegment(urlSegment);
  }
  const pickers = useQuery(IncidentPickers);

  const filter = useMemo<IncidentFilter>(() => {
    const f: IncidentFilter = {};
    const get = (k: string) => params.get(k) || null;
    if (get('search') ?? get('q')) f.search = get('search') ?? get('q');
    if (get('severity')) f.severities = [get('severity') as Severity];
    if (get('status')) f.statuses = [get('status') as IncidentStatus];
    if (get('service')) f.serviceIds = [get('service') as string];
    if (get('team')) f.teamIds = [get('team') as string];
    if (get('segment')) f.segment = get('segment');
    if (get('from')) f.startedAfter = dayStart(get('from'));
    // The "to" day is included: the filter is exclusive, so send the next day's start.
    if (get('to')) f.startedBefore = dayStart(get('to'), 1);
    return f;
  }, [params]);

  const { data, loading, error, refetch } = useQuery(IncidentsList, {
    variables: { filter, first: PAGE_SIZE, after: cursors.at(-1) ?? null },
    fetchPolicy: 'cache-and-network',
  });

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };
  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    update({ search: search.trim(), q: '', segment: segment.trim() });
  };
  const clear = () => {
    setSearch('');
    setSegment('');
    update(Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])));
  };

  const connection = data?.incidents;
  const problems = fieldProblems(error);
  const problemAt = (field: string) => problems.find((p) => p.field === field)?.message ?? null;
  const filtered = FILTER_KEYS.some((k) => params.get(k));
  const services = pickers.data?.services ?? [];
  const teams = pickers.data?.teams ?? [];

  return (
    <>
      <PageHeader
        title="Incidents"
        description="Every incident, newest first: what happened, how long it took, and where the analysis stands."
        actions={
          canEditIncidents(user) && (
            <Link className="hs-button" to="/incidents/new">
              Declare incident
            </Link>
          )
        }
      />
      <form className="hs-card hs-filters" role="search" aria-label="Search and filter incidents" onSubmit={onSearch}>
        <div className="hs-row">
          <TextField
            label="Search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            hint='Titles, summaries and postmortems; "exact phrase", -exclude, or INC-12.'
            className="hs-filters__search"
          />
          <TextField label="Customer segment" value={segment} onChange={(e) => setSegment(e.target.value)} placeholder="e.g. enterprise" />
          <Button type="submit">Search</Button>
        </div>
        <div className="hs-row">
          <SelectField label="Severity" placeholder="Any severity" value={params.get('severity') ?? ''} onChange={(e) => update({ severity: e.target.value })} options={SEVERITIES.map((s) => ({ value: s, label: s }))} />
          <SelectField label="Status" placeholder="Any status" value={params.get('status') ?? ''} onChange={(e) => update({ status: e.target.value })} options={enumOptions('IncidentStatus', INCIDENT_STATUSES)} />
          <SelectField label="Service" placeholder="Any service" value={params.get('service') ?? ''} onChange={(e) => update({ service: e.target.value })} options={services.map((s) => ({ value: s.id, label: s.name }))} />
          <SelectField label="Team" placeholder="Any team" value={params.get('team') ?? ''} onChange={(e) => update({ team: e.target.value })} options={teams.map((t) => ({ value: t.id, label: t.name }))} />
          <TextField label="Started from" type="date" value={params.get('from') ?? ''} onChange={(e) => update({ from: e.target.value })} />
          <TextField label="Started until" type="date" value={params.get('to') ?? ''} onChange={(e) => update({ to: e.target.value })} error={problemAt('filter.startedBefore')} />
          {filtered && (
            <Button variant="secondary" onClick={clear}>
              Clear filters
            </Button>
          )}
        </div>
      </form>

      {error && connection && <Alert>{errorMessage(error)}</Alert>}
      {error && !connection ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : !connection ? (
        <LoadingState label="Loading incidents…" />
      ) : connection.nodes.length === 0 ? (
        <EmptyState title={filtered ? 'No incidents match these filters.' : 'No incidents yet.'}>
          {filtered ? (
            <Button variant="secondary" onClick={clear}>
              Clear filters
            </Button>
          ) : (
            canEditIncidents(user) && <Link to="/incidents/new">Declare the first incident</Link>
          )}
        </EmptyState>
      ) : (
        <>
          <p className="hs-muted" aria-live="polite">
            {connection.totalCount} incident{connection.totalCount === 1 ? '' : 's'}
            {cursors.length > 0 ? ` · page ${cursors.length + 1}` : ''}
            {loading ? ' · refreshing…' : ''}
          </p>
          <div className="hs-table-wrap">
            <Table
              caption="Incidents, newest first"
              captionHidden
              rows={connection.nodes}
              rowKey={(incident) => incident.id}
              columns={[
                {
                  key: 'incident',
                  header: 'Incident',
                  render: (incident) => (
                    <>
                      <Link to={`/incidents/${incident.reference}`}>
                        <span className="hs-ref">{incident.reference}</span> {incident.title}
                      </Link>{' '}
                      {incident.isRepeat && <RepeatBadge />}
                      {incident.segments.length > 0 && <div className="hs-muted hs-small">Segments: {incident.segments.join(', ')}</div>}
                    </>
                  ),
                },
                { key: 'severity', header: 'Severity', render: (incident) => <SeverityBadge severity={incident.severity} />, sortValue: (incident) => incident.severity },
                { key: 'status', header: 'Status', render: (incident) => <StatusBadge status={incident.status} /> },
                { key: 'services', header: 'Services', render: (incident) => incident.services.map((s) => s.name).join(', ') || <span className="hs-muted">None</span> },
                { key: 'started', header: 'Started', render: (incident) => formatDateTime(incident.startedAt), sortValue: (incident) => incident.startedAt },
                {
                  key: 'ttr',
                  header: 'Time to resolve',
                  render: (incident) => (incident.resolvedAt ? formatMinutes(incident.timeToResolveMinutes) : <span className="hs-muted">Unresolved</span>),
                  sortValue: (incident) => (incident.resolvedAt ? incident.timeToResolveMinutes : null),
                },
                { key: 'commander', header: 'Commander', render: (incident) => incident.commander?.name ?? <span className="hs-muted">None</span> },
                { key: 'postmortem', header: 'Postmortem', render: (incident) => <PostmortemCell postmortem={incident.postmortem} /> },
              ]}
            />
          </div>
          {(cursors.length > 0 || connection.pageInfo.hasNextPage) && (
            <nav className="hs-row hs-pager" aria-label="Pages">
              <Button variant="secondary" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Previous page
              </Button>
              <Button
                variant="secondary"
                disabled={!connection.pageInfo.hasNextPage}
                onClick={() => {
                  const end = connection.pageInfo.endCursor;
                  if (end) setCursors((c) => [...c, end]);
                }}
              >
                Next page
              </Button>
            </nav>
          )}
        </>
      )}
    </>
  );
}
