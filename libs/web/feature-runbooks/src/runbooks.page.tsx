import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage, fieldProblems, useSession } from '@hindsight/web-data-access';
import { Alert, Badge, Button, EmptyState, ErrorState, formatDate, formatRelative, LoadingState, PageHeader, SelectField, Table, TextField, type Column } from '@hindsight/web-ui';
import { CreateRunbook, RunbooksListQuery } from './runbooks.operations';
import { canEdit } from './runbook.view';

type Filters = { service: string; team: string; stale: boolean; q: string };

/**
 * Every runbook in one place (issue 23): filter by service, team and whether its review is due,
 * search the text; a new runbook starts here too. The service's page links here.
 */
export function RunbooksPage() {
  const [params, setParams] = useSearchParams();
  const filters: Filters = { service: params.get('service') ?? '', team: params.get('team') ?? '', stale: params.get('stale') === '1', q: params.get('q') ?? '' };
  const [text, setText] = useState(filters.q);
  const { data, previousData, error, refetch } = useQuery(RunbooksListQuery, {
    variables: { search: filters.q.trim() || null, serviceId: filters.service || null, stale: filters.stale ? true : null },
    fetchPolicy: 'cache-and-network',
  });
  const shown = data ?? previousData;
  const set = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    const p = new URLSearchParams();
    if (next.service) p.set('service', next.service);
    if (next.team) p.set('team', next.team);
    if (next.stale) p.set('stale', '1');
    if (next.q.trim()) p.set('q', next.q.trim());
    setParams(p, { replace: true });
  };

  const teams = useMemo(() => {
    const byId = new Map<string, string>();
    for (const s of shown?.services ?? []) byId.set(s.team.id, s.team.name);
    return [...byId].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [shown?.services]);
  const services = (shown?.services ?? []).filter((s) => !filters.team || s.team.id === filters.team);
  const rows = (shown?.runbooks ?? []).filter((r) => !filters.team || r.team.id === filters.team);

  const columns: Column<(typeof rows)[number]>[] = [
    { key: 'title', header: 'Runbook', rowHeader: true, render: (r) => <Link to={`/runbooks/${r.id}`}>{r.title}</Link>, sortValue: (r) => r.title },
    { key: 'service', header: 'Service', render: (r) => r.service.name, sortValue: (r) => r.service.name },
    { key: 'team', header: 'Team', render: (r) => r.team.name, sortValue: (r) => r.team.name },
    {
      key: 'review',
      header: 'Review',
      render: (r) => (
        <>
          {r.isStale ? <Badge tone="warning">Review due</Badge> : <Badge tone="ok">Reviewed</Badge>} <span className="hs-muted">{r.isStale ? `since ${formatDate(r.reviewDueAt)}` : `next by ${formatDate(r.reviewDueAt)}`}</span>
        </>
      ),
      sortValue: (r) => r.reviewDueAt,
    },
    { key: 'version', header: 'Version', align: 'end', render: (r) => r.version, sortValue: (r) => r.version },
    { key: 'updated', header: 'Last changed', render: (r) => <span title={formatDate(r.updatedAt)}>{formatRelative(r.updatedAt)}</span>, sortValue: (r) => r.updatedAt },
  ];

  return (
    <>
      <PageHeader title="Runbooks" description="What to do when a service fails, by service and team; reviewed on an interval so they stay true." />
      <form
        className="hs-row hs-filters"
        aria-label="Filter runbooks"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: text });
        }}
      >
        <TextField className="hs-filters__search" label="Search" type="search" value={text} onChange={(e) => setText(e.target.value)} onBlur={() => text !== filters.q && set({ q: text })} />
        <SelectField label="Team" value={filters.team} placeholder="Every team" options={teams} onChange={(e) => set({ team: e.target.value, service: '' })} />
        <SelectField label="Service" value={filters.service} placeholder="Every service" options={services.map((s) => ({ value: s.id, label: s.name }))} onChange={(e) => set({ service: e.target.value })} />
        <div className="hs-field">
          <span aria-hidden="true">&nbsp;</span>
          <label className="hs-check">
            <input type="checkbox" checked={filters.stale} onChange={(e) => set({ stale: e.target.checked })} /> Only those due for review
          </label>
        </div>
      </form>
      {error && !shown ? (
        <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : !shown ? (
        <LoadingState label="Loading runbooks…" />
      ) : (
        <div className="hs-stack">
          <Table
            label="Runbooks"
            columns={columns}
            rows={rows}
            rowKey={(r) => r.id}
            initialSort={filters.stale ? { key: 'review', direction: 'asc' } : { key: 'title', direction: 'asc' }}
            empty={<EmptyState title={filters.stale ? 'No runbook is due for review.' : 'No runbooks match.'} />}
          />
          <NewRunbookForm services={shown.services} preselected={filters.service} />
        </div>
      )}
    </>
  );
}

function NewRunbookForm({ services, preselected }: { services: readonly { id: string; name: string; team: { id: string } }[]; preselected: string }) {
  const { user } = useSession();
  const editable = services.filter((s) => canEdit(user, s.team.id));
  const [serviceId, setServiceId] = useState('');
  const [title, setTitle] = useState('');
  const [create, creating] = useMutation(CreateRunbook);
  const navigate = useNavigate();
  if (editable.length === 0) return null;
  const chosen = serviceId || (editable.some((s) => s.id === preselected) ? preselected : '');
  const at = (f: string) => fieldProblems(creating.error).find((p) => p.field.endsWith(f))?.message ?? null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const res = await create({ variables: { serviceId: chosen, input: { title } } });
      if (res.data) await navigate(`/runbooks/${res.data.createRunbook.id}`);
    } catch {
      // Shown below from the mutation's state.
    }
  };
  return (
    <details className="hs-card">
      <summary>New runbook</summary>
      <form className="hs-row" aria-label="New runbook" onSubmit={(e) => void submit(e)} noValidate>
        {creating.error && !at('title') && <Alert>{errorMessage(creating.error)}</Alert>}
        <SelectField label="Service" value={chosen} placeholder="Choose a service" options={editable.map((s) => ({ value: s.id, label: s.name }))} onChange={(e) => setServiceId(e.target.value)} />
        <TextField label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={at('title')} hint="The failure it is for, e.g. “Card declines spike”" />
        <Button type="submit" busy={creating.loading} disabled={!chosen}>
          Add runbook
        </Button>
      </form>
    </details>
  );
}
