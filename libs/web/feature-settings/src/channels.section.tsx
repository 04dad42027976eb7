import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { appendToList, errorMessage, fieldProblems, removeFromCache, type ChannelKind } from '@hindsight/web-data-access';
import { Alert, Button, ConfirmInPlace, ErrorState, LoadingState, SelectField, TextField, Table } from '@hindsight/web-ui';
import { ChannelsQuery, CreateChannel, DeleteChannel, RunChaseNow, TestChannel } from './settings.operations';

const TARGET_HINT: Record<ChannelKind, string> = {
  EMAIL: 'An email address, e.g. payments-oncall@example.com',
  SLACK: 'The Slack incoming-webhook URL: kept encrypted, shown afterwards with its secret part hidden (…/T0/B0/****)',
  WEBHOOK: 'Any http(s) URL; requests are signed with the secret below',
  TEAMS: 'The URL of a Teams workflow started by "When a Teams webhook request is received" (it posts the card): kept encrypted, shown afterwards with its signature hidden',
};

const KIND_LABEL: Record<ChannelKind, string> = { EMAIL: 'email', SLACK: 'Slack', TEAMS: 'Microsoft Teams', WEBHOOK: 'webhook' };

/** "Send a test" with its result, and delete after a confirmation. */
function ChannelActions({ id, name }: { id: string; name: string }) {
  const [test, testing] = useMutation(TestChannel);
  const [remove, removing] = useMutation(DeleteChannel, { update: (cache, { data }) => data?.deleteNotificationChannel && removeFromCache(cache, 'NotificationChannel', id) });
  return (
    <div className="hs-row">
      <Button variant="secondary" busy={testing.loading} onClick={() => void test({ variables: { id } }).catch(() => undefined)}>
        Send a test to {name}
      </Button>
      {testing.data?.testNotificationChannel && !testing.error && <Alert tone="success">Test message delivered to {name}.</Alert>}
      {testing.error && <Alert>{errorMessage(testing.error)}</Alert>}
      <ConfirmInPlace
        label={`Delete ${name}`}
        question={`Delete ${name}? Reminders already sent stay in the history.`}
        confirmLabel={`Yes, delete ${name}`}
        busy={removing.loading}
        onConfirm={() => void remove({ variables: { id } }).catch(() => undefined)}
      />
      {removing.error && <Alert>{errorMessage(removing.error)}</Alert>}
    </div>
  );
}

export function ChannelsSection() {
  const { data, error, refetch } = useQuery(ChannelsQuery);
  const [chase, chasing] = useMutation(RunChaseNow);
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading notification channels…" />;
  return (
    <section className="hs-card" aria-labelledby="channels-heading">
      <h2 id="channels-heading">Notification channels</h2>
      <p className="hs-muted">
        A team's channels see every reminder step of its items and its weekly digest; channels without a team are leadership channels (the leadership step and digest).
      </p>
      {data.notificationChannels.length === 0 ? (
        <p className="hs-muted">No channels yet: reminders reach people by email only.</p>
      ) : (
        <Table
          label="Notification channels"
          rows={data.notificationChannels}
          rowKey={(c) => c.id}
          columns={[
            { key: 'name', header: 'Name', render: (c) => c.name, sortValue: (c) => c.name },
            { key: 'kind', header: 'Kind', render: (c) => KIND_LABEL[c.kind], sortValue: (c) => c.kind },
            { key: 'target', header: 'Target', render: (c) => <code className="hs-break">{c.target}</code> },
            { key: 'for', header: 'For', render: (c) => c.team?.name ?? 'leadership', sortValue: (c) => c.team?.name ?? '' },
            { key: 'actions', header: <span className="hs-muted">Actions</span>, label: '', render: (c) => <ChannelActions id={c.id} name={c.name} /> },
          ]}
        />
      )}
      <CreateChannelForm teams={data.teams} />
      <h3>Chase now</h3>
      <p className="hs-muted">Sweeps happen on a schedule; this runs one now. A step already sent is never sent again.</p>
      {chasing.error && <Alert>{errorMessage(chasing.error)}</Alert>}
      {chasing.data && <Alert tone="success">A chase sweep has been queued.</Alert>}
      <Button variant="secondary" busy={chasing.loading} onClick={() => void chase().catch(() => undefined)}>
        Run the chase now
      </Button>
    </section>
  );
}

function CreateChannelForm({ teams }: { teams: { id: string; name: string }[] }) {
  const [form, setForm] = useState({ kind: 'SLACK' as ChannelKind, name: '', target: '', teamId: '', secret: '' });
  const [create, { loading, error, data }] = useMutation(CreateChannel, { update: (cache, { data: created }) => appendToList(cache, 'ROOT_QUERY', 'notificationChannels', created?.createNotificationChannel) });
  const problems = fieldProblems(error);
  const at = (f: string) => problems.find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create({
      variables: { input: { kind: form.kind, name: form.name, target: form.target, teamId: form.teamId || null, secret: form.kind === 'WEBHOOK' ? form.secret : null } },
    }).then(() => setForm({ ...form, name: '', target: '', secret: '' }), () => undefined);
  };
  return (
    <form aria-labelledby="new-channel" onSubmit={onSubmit} noValidate>
      <h3 id="new-channel">Add a channel</h3>
      {error && problems.length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {data && !error && <Alert tone="success">Channel {data.createNotificationChannel.name} added.</Alert>}
      <div className="hs-row">
        <SelectField label="Kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as ChannelKind })} options={(Object.keys(KIND_LABEL) as ChannelKind[]).map((k) => ({ value: k, label: KIND_LABEL[k] }))} />
        <TextField label="Channel name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={at('name')} />
        <TextField label="Target" value={form.target} onChange={(e) => setForm({ ...form, target: e.target.value })} hint={TARGET_HINT[form.kind]} error={at('target')} />
        <SelectField label="For team" value={form.teamId} placeholder="Leadership" onChange={(e) => setForm({ ...form, teamId: e.target.value })} options={teams.map((t) => ({ value: t.id, label: t.name }))} error={at('teamId')} />
        {form.kind === 'WEBHOOK' && (
          <TextField label="Signing secret" type="password" autoComplete="off" value={form.secret} onChange={(e) => setForm({ ...form, secret: e.target.value })} hint="At least 16 characters; never shown again." error={at('secret')} />
        )}
      </div>
      <Button type="submit" busy={loading}>
        Add channel
      </Button>
    </form>
  );
}
