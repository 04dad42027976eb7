import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { appendToList, errorMessage, fieldProblems, useSession, type ServiceKind, type ServicesPageQuery as ServicesData, type SloDimension } from '@hindsight/web-data-access';
import { Alert, Badge, Button, EmptyState, ErrorState, formatMoney, labelOf, LoadingState, PageHeader, SelectField, Table, TextField } from '@hindsight/web-ui';
import { CreateService, CreateSlo, ServicesPageQuery } from './catalog.operations';

const KINDS: ServiceKind[] = ['API', 'MODEL', 'PIPELINE', 'DATASTORE', 'FEATURE_STORE', 'FRONTEND', 'INFRASTRUCTURE', 'OTHER'];
const DIMENSIONS: SloDimension[] = ['AVAILABILITY', 'LATENCY', 'FRESHNESS', 'THROUGHPUT', 'CORRECTNESS'];

type Service = ServicesData['services'][number];

function percent(objective: number): string {
  return `${(objective * 100).toFixed(objective >= 0.999 ? 2 : 1).replace(/\.?0+$/, '')} %`;
}

export function ServicesPage() {
  const { user } = useSession();
  const { data, error, refetch } = useQuery(ServicesPageQuery, { fetchPolicy: 'cache-and-network' });
  const admin = user?.role === 'ADMIN';

  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading services…" />;

  return (
    <>
      <PageHeader title="Services and SLOs" description="What we run, who owns it, what it promises, and how to operate it." />
      {data.staleRunbooks.length > 0 && (
        <Alert tone="warning" title="Runbooks due for review:">
          {data.staleRunbooks.length === 1 ? 'one runbook is' : `${data.staleRunbooks.length} runbooks are`} past its review date.{' '}
          <Link to="/runbooks?stale=1">See which</Link>
        </Alert>
      )}
      {data.services.length === 0 ? (
        <EmptyState title="No services yet.">{admin ? <p>Add the first one below.</p> : <p>An administrator adds services and their SLOs.</p>}</EmptyState>
      ) : (
        <div className="hs-stack">
          {data.services.map((service) => (
            <ServiceCard key={service.id} service={service} admin={admin} />
          ))}
        </div>
      )}
      {admin && (
        <div className="hs-subform">
          <CreateServiceForm teams={data.teams} />
        </div>
      )}
    </>
  );
}

function ServiceCard({ service, admin }: { service: Service; admin: boolean }) {
  const headingId = `service-${service.id}`;
  return (
    <section className="hs-card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {service.name} <Badge>{labelOf('ServiceKind', service.kind)}</Badge> <Badge tone={service.tier === 1 ? 'danger' : service.tier === 2 ? 'warning' : 'neutral'}>Tier {service.tier}</Badge>
      </h2>
      <dl className="hs-dl">
        <dt>Team</dt>
        <dd>{service.team.name}</dd>
        <dt>Revenue per minute of outage</dt>
        <dd>{formatMoney(service.revenuePerMinute)}</dd>
      </dl>
      <h3>SLOs</h3>
      {service.slos.length === 0 ? (
        <p className="hs-muted">No SLOs yet.</p>
      ) : (
        <Table
          label={`SLOs of ${service.name}`}
          rows={service.slos}
          rowKey={(slo) => slo.id}
          columns={[
            { key: 'dimension', header: 'Dimension', render: (slo) => labelOf('SloDimension', slo.dimension), sortValue: (slo) => slo.dimension },
            { key: 'objective', header: 'Objective', render: (slo) => percent(slo.objective), sortValue: (slo) => slo.objective },
            { key: 'window', header: 'Window', render: (slo) => `${slo.windowDays} days`, sortValue: (slo) => slo.windowDays },
            { key: 'segment', header: 'Segment', render: (slo) => slo.segment ?? 'everyone', sortValue: (slo) => slo.segment ?? '' },
          ]}
        />
      )}
      <h3>Runbooks</h3>
      <p>
        {service.runbooks.length === 0 ? (
          <>
            No runbooks yet. <Link to={`/runbooks?service=${service.id}`}>Write one</Link>
          </>
        ) : (
          <>
            <Link to={`/runbooks?service=${service.id}`}>
              {service.runbooks.length === 1 ? '1 runbook' : `${service.runbooks.length} runbooks`} for {service.name}
            </Link>
            {service.runbooks.some((r) => r.isStale) && (
              <>
                {' '}
                <Badge tone="warning">{service.runbooks.filter((r) => r.isStale).length} due for review</Badge>
              </>
            )}
          </>
        )}
      </p>
      {admin && <CreateSloForm serviceId={service.id} />}
    </section>
  );
}

function CreateSloForm({ serviceId }: { serviceId: string }) {
  const [dimension, setDimension] = useState<SloDimension>('AVAILABILITY');
  const [objective, setObjective] = useState('99.9');
  const [windowDays, setWindowDays] = useState('28');
  const [segment, setSegment] = useState('');
  const [create, { loading, error }] = useMutation(CreateSlo, { update: (cache, { data }) => appendToList(cache, { __typename: 'Service', id: serviceId }, 'slos', data?.createSlo) });
  const at = (f: string) => fieldProblems(error).find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create({ variables: { input: { serviceId, dimension, objective: Number(objective), windowDays: Number(windowDays), segment: segment.trim() || null } } }).catch(() => undefined);
  };
  return (
    <details>
      <summary>Add an SLO</summary>
      <form className="hs-row" aria-label="Add an SLO" onSubmit={onSubmit} noValidate>
        {error && fieldProblems(error).length === 0 && <Alert>{errorMessage(error)}</Alert>}
        <SelectField label="Dimension" value={dimension} onChange={(e) => setDimension(e.target.value as SloDimension)} options={DIMENSIONS.map((d) => ({ value: d, label: labelOf('SloDimension', d) }))} />
        <TextField label="Objective (%)" inputMode="decimal" value={objective} onChange={(e) => setObjective(e.target.value)} error={at('objective')} />
        <TextField label="Window (days)" inputMode="numeric" value={windowDays} onChange={(e) => setWindowDays(e.target.value)} error={at('windowDays')} />
        <TextField label="Customer segment (optional)" value={segment} onChange={(e) => setSegment(e.target.value)} error={at('segment')} hint="e.g. enterprise, eu, free" />
        <Button type="submit" busy={loading}>
          Add SLO
        </Button>
      </form>
    </details>
  );
}

function CreateServiceForm({ teams }: { teams: ServicesData['teams'] }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ServiceKind>('API');
  const [tier, setTier] = useState('2');
  const [teamId, setTeamId] = useState('');
  const [revenue, setRevenue] = useState('');
  // The new service joins the services list and its team's (the Teams page), without reading either again.
  const [create, { loading, error, data }] = useMutation(CreateService, {
    update: (cache, { data: created }) => {
      const service = created?.createService;
      if (!service) return;
      appendToList(cache, 'ROOT_QUERY', 'services', service);
      appendToList(cache, { __typename: 'Team', id: service.team.id }, 'services', service);
    },
  });
  const at = (f: string) => fieldProblems(error).find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create({ variables: { input: { name, kind, tier: Number(tier), teamId, revenuePerMinute: revenue.trim() ? Number(revenue) : null } } })
      .then(() => setName(''))
      .catch(() => undefined);
  };
  return (
    <form className="hs-card" aria-labelledby="new-service" onSubmit={onSubmit} noValidate>
      <h2 id="new-service">Add a service</h2>
      {error && fieldProblems(error).length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {data && !error && <Alert tone="success">Service {data.createService.name} added.</Alert>}
      <div className="hs-row">
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={at('name')} required />
        <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as ServiceKind)} options={KINDS.map((k) => ({ value: k, label: labelOf('ServiceKind', k) }))} />
        <SelectField label="Tier" value={tier} onChange={(e) => setTier(e.target.value)} options={['1', '2', '3'].map((t) => ({ value: t, label: `Tier ${t}` }))} error={at('tier')} />
        <SelectField label="Owning team" value={teamId} placeholder="Choose a team" onChange={(e) => setTeamId(e.target.value)} options={teams.map((t) => ({ value: t.id, label: t.name }))} error={at('teamId')} />
        <TextField label="Revenue per minute (optional)" inputMode="decimal" value={revenue} onChange={(e) => setRevenue(e.target.value)} error={at('revenuePerMinute')} />
      </div>
      <Button type="submit" busy={loading}>
        Add service
      </Button>
    </form>
  );
}
