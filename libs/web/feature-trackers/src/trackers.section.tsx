import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { appendToList, errorMessage, fieldProblems, removeFromCache, type TrackerConnectionFieldsFragment, type TrackerKind } from '@hindsight/web-data-access';
import { Alert, Badge, Button, ConfirmInPlace, ErrorState, formatDateTime, LoadingState, SelectField, TextField } from '@hindsight/web-ui';
import { CreateTrackerConnection, DeleteTrackerConnection, SyncTrackerNow, TestTrackerConnection, TrackerConnectionsQuery, UpdateTrackerConnection } from './trackers.operations';
import { BASE_URL_HINT, KIND_LABEL, PROJECT_HINT, WEBHOOK_HINT } from './tracker.view';

/** Settings → Trackers (ADMIN): connections, their webhook URLs, test and sync now. */
export function TrackersSection() {
  const { data, error, refetch } = useQuery(TrackerConnectionsQuery);
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading trackers…" />;
  return (
    <section className="hs-card" aria-labelledby="trackers-heading">
      <h2 id="trackers-heading">Trackers</h2>
      <p className="hs-muted">
        Action items linked to a GitHub, GitLab or Jira issue stay in agreement with it both ways: closing the issue completes the item (P0/P1 items then wait for their verification), completing the item closes the issue. Tokens and secrets are stored encrypted and never shown again.
      </p>
      {data.trackerConnections.length === 0 ? (
        <p className="hs-muted">No trackers connected yet.</p>
      ) : (
        <ul className="hs-stack" aria-label="Tracker connections">
          {data.trackerConnections.map((c) => (
            <ConnectionRow key={c.id} connection={c} />
          ))}
        </ul>
      )}
      <CreateConnectionForm teams={data.teams} />
    </section>
  );
}

function ConnectionRow({ connection: c }: { connection: TrackerConnectionFieldsFragment }) {
  const [test, tested] = useMutation(TestTrackerConnection);
  const [sync, synced] = useMutation(SyncTrackerNow);
  const [remove, removed] = useMutation(DeleteTrackerConnection, { update: (cache, { data }) => data?.deleteTrackerConnection && removeFromCache(cache, 'TrackerConnection', c.id) });
  const result = tested.data?.testTrackerConnection;
  return (
    <li className="hs-card" aria-label={c.name}>
      <h3>
        {c.name} <Badge tone="info">{KIND_LABEL[c.kind]}</Badge> {c.lastError ? <Badge tone="danger">sync failing</Badge> : null}
      </h3>
      <dl className="hs-dl">
        <dt>Project</dt>
        <dd>
          <code>{c.project}</code> at <code>{c.baseUrl}</code>
          {c.kind === 'JIRA' && <> ({c.email ? `Cloud, as ${c.email}` : 'Data Center'})</>}
        </dd>
        <dt>Items of</dt>
        <dd>{c.team ? `${c.team.name}${c.autoCreate ? ' (issues created automatically for new items)' : ''}` : 'any team'}</dd>
        <dt>Webhook URL</dt>
        <dd>
          <code>{c.webhookUrl}</code>
          <div className="hs-muted">{c.hasWebhookSecret ? WEBHOOK_HINT[c.kind] : 'No webhook secret: webhooks are refused; the state still converges at each reconciliation.'}</div>
        </dd>
        <dt>Last sync</dt>
        <dd>{c.lastSyncedAt ? formatDateTime(c.lastSyncedAt) : 'not yet'}</dd>
        {c.lastError && (
          <>
            <dt>Last error</dt>
            <dd role="status">{c.lastError}</dd>
          </>
        )}
      </dl>
      {result && <Alert tone={result.ok ? 'success' : 'error'}>{result.message}</Alert>}
      {tested.error && <Alert>{errorMessage(tested.error)}</Alert>}
      {synced.data && <Alert tone="success">A sync has been queued.</Alert>}
      {synced.error && <Alert>{errorMessage(synced.error)}</Alert>}
      {removed.error && <Alert>{errorMessage(removed.error)}</Alert>}
      <ReplaceSecretsForm connection={c} />
      <div className="hs-row">
        <Button variant="secondary" busy={tested.loading} onClick={() => void test({ variables: { id: c.id } }).catch(() => undefined)}>
          Test connection
        </Button>
        <Button variant="secondary" busy={synced.loading} onClick={() => void sync({ variables: { id: c.id } }).catch(() => undefined)}>
          Sync now
        </Button>
        <ConfirmInPlace
          label="Remove…"
          confirmLabel={`Remove ${c.name} and its links`}
          danger
          busy={removed.loading}
          onConfirm={() => void remove({ variables: { id: c.id } }).catch(() => undefined)}
        />
      </div>
    </li>
  );
}

/** A revoked or rotated token is replaced in place: links are kept and pushes that failed for good run again. */
function ReplaceSecretsForm({ connection: c }: { connection: TrackerConnectionFieldsFragment }) {
  const [token, setToken] = useState('');
  const [secret, setSecret] = useState('');
  const [update, { loading, error, data }] = useMutation(UpdateTrackerConnection);
  const problems = fieldProblems(error);
  const at = (f: string) => problems.find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void update({ variables: { id: c.id, input: { token: token || null, webhookSecret: secret || null } } }).then(() => {
      setToken('');
      setSecret('');
    }, () => undefined);
  };
  return (
    <form className="hs-row" aria-label={`Replace the token or webhook secret of ${c.name}`} onSubmit={onSubmit} noValidate>
      {error && problems.length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {data && !error && <Alert tone="success">Saved; failed pushes are retried.</Alert>}
      <TextField label="New token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} error={at('token')} />
      <TextField label="New webhook secret" type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} error={at('webhookSecret')} />
      <Button type="submit" variant="secondary" busy={loading} disabled={!token && !secret}>
        Replace
      </Button>
    </form>
  );
}

const EMPTY = { kind: 'GITHUB' as TrackerKind, name: '', baseUrl: 'https://api.github.com', project: '', token: '', email: '', webhookSecret: '', teamId: '', autoCreate: false };

function CreateConnectionForm({ teams }: { teams: { id: string; name: string }[] }) {
  const [form, setForm] = useState(EMPTY);
  const [create, { loading, error, data }] = useMutation(CreateTrackerConnection, { update: (cache, { data: created }) => appendToList(cache, 'ROOT_QUERY', 'trackerConnections', created?.createTrackerConnection) });
  const problems = fieldProblems(error);
  const at = (f: string) => problems.find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create({
      variables: {
        input: {
          kind: form.kind, name: form.name, baseUrl: form.baseUrl, project: form.project, token: form.token, webhookSecret: form.webhookSecret || null,
          email: form.kind === 'JIRA' && form.email ? form.email : null, teamId: form.teamId || null, autoCreate: !!form.teamId && form.autoCreate,
        },
      },
    }).then(() => setForm(EMPTY), () => undefined);
  };
  return (
    <form aria-labelledby="new-tracker" onSubmit={onSubmit} noValidate>
      <h3 id="new-tracker">Connect a tracker</h3>
      {error && problems.length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {data && !error && <Alert tone="success">{data.createTrackerConnection.name} connected. Paste its webhook URL into the tracker.</Alert>}
      <div className="hs-row">
        <SelectField
          label="Tracker"
          value={form.kind}
          onChange={(e) => {
            const kind = e.target.value as TrackerKind;
            setForm({ ...form, kind, baseUrl: kind === 'GITHUB' ? 'https://api.github.com' : kind === 'GITLAB' ? 'https://gitlab.com' : kind === 'LINEAR' ? 'https://api.linear.app' : '' });
          }}
          options={(['GITHUB', 'GITLAB', 'JIRA', 'LINEAR'] as const).map((k) => ({ value: k, label: KIND_LABEL[k] }))}
          error={at('kind')}
        />
        <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={at('name')} />
        <TextField label="Base URL" value={form.baseUrl} onChange={(e) => setForm({ ...form, baseUrl: e.target.value })} hint={BASE_URL_HINT[form.kind]} error={at('baseUrl')} />
        <TextField label="Project" value={form.project} onChange={(e) => setForm({ ...form, project: e.target.value })} hint={PROJECT_HINT[form.kind]} error={at('project')} />
      </div>
      <div className="hs-row">
        {form.kind === 'JIRA' && (
          <TextField label="Account e-mail (Jira Cloud)" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} hint="Leave empty for Jira Data Center (personal access token)." error={at('email')} />
        )}
        <TextField label="Token" type="password" autoComplete="off" value={form.token} onChange={(e) => setForm({ ...form, token: e.target.value })} hint="Stored encrypted; never shown again." error={at('token')} />
        <TextField label="Webhook secret" type="password" autoComplete="off" value={form.webhookSecret} onChange={(e) => setForm({ ...form, webhookSecret: e.target.value })} hint="16+ characters; the same in the tracker's webhook." error={at('webhookSecret')} />
        <SelectField label="Items of" value={form.teamId} placeholder="Any team" onChange={(e) => setForm({ ...form, teamId: e.target.value })} options={teams.map((t) => ({ value: t.id, label: t.name }))} error={at('teamId')} />
      </div>
      {form.teamId && (
        <div className="hs-field">
          <label>
            <input type="checkbox" checked={form.autoCreate} onChange={(e) => setForm({ ...form, autoCreate: e.target.checked })} /> Create an issue for each new item of this team
          </label>
        </div>
      )}
      <Button type="submit" busy={loading}>
        Connect
      </Button>
    </form>
  );
}
