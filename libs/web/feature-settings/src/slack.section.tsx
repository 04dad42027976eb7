import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { errorMessage, fieldProblems } from '@hindsight/web-data-access';
import { Alert, Button, ErrorState, formatDateTime, LoadingState, TextField } from '@hindsight/web-ui';
import { DeleteSlackSettings, SaveSlackSettings, SlackSettingsQuery } from './settings.operations';

/** What "Test connection" found: Slack's auth.test answered for the token in use (its workspace), or not. */
type Tested = { ok: true; workspace: string; at: string } | { ok: false; message: string; at: string };

/**
 * Settings → Slack: the app's bot token and signing secret (docs/slack.md), stored sealed and
 * never shown again (only that they are stored, masked), and a connection test: the settings read
 * again, which asks Slack's `auth.test` with the token in use.
 */
export function SlackSection() {
  const { data, error, refetch } = useQuery(SlackSettingsQuery);
  const [tested, setTested] = useState<Tested | null>(null);
  const [testing, setTesting] = useState(false);
  const test = () => {
    setTesting(true);
    const at = new Date().toISOString();
    void refetch()
      .then(
        (r) =>
          setTested(
            r.data?.slackSettings.workspace
              ? { ok: true, workspace: r.data.slackSettings.workspace, at }
              : { ok: false, message: 'Slack did not accept the bot token (auth.test): save the current one from the app\'s "OAuth & Permissions" page.', at },
          ),
        (e: unknown) => setTested({ ok: false, message: errorMessage(e), at }),
      )
      .finally(() => setTesting(false));
  };
  const [form, setForm] = useState({ botToken: '', signingSecret: '' });
  // The settings have no id to update by: what the server now uses is written over the query's.
  const [save, saving] = useMutation(SaveSlackSettings, { update: (cache, { data: saved }) => saved && cache.writeQuery({ query: SlackSettingsQuery, data: { slackSettings: saved.saveSlackSettings } }) });
  const [remove, removing] = useMutation(DeleteSlackSettings, {
    update: (cache, { data: removed }) => removed && cache.writeQuery({ query: SlackSettingsQuery, data: { slackSettings: removed.deleteSlackSettings } }),
  });
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading the Slack app…" />;
  const s = data.slackSettings;
  const problems = fieldProblems(saving.error);
  const at = (f: string) => problems.find((p) => p.field.endsWith(f))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save({ variables: form }).then(() => setForm({ botToken: '', signingSecret: '' }), () => undefined);
  };
  return (
    <form className="hs-card" aria-labelledby="slack-heading" onSubmit={onSubmit} noValidate>
      <h2 id="slack-heading">Slack</h2>
      <p className="hs-muted">
        The Slack app DMs reminders with buttons answered in Slack, and imports an incident&apos;s channel into its timeline. Create it from the manifest in docs/slack.md, then paste its
        bot token and signing secret.
      </p>
      {s.configured ? (
        <Alert tone="success">
          Set up{s.workspace ? ` for ${s.workspace}` : ''}
          {s.source === 'ENVIRONMENT' ? ' from SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (they win over anything stored here).' : '.'}
        </Alert>
      ) : (
        <Alert tone="warning">Not set up.</Alert>
      )}
      {s.source === 'STORED' && (
        <dl className="hs-dl" aria-label="Stored credentials">
          <dt>Bot User OAuth Token</dt>
          <dd>
            <code>xoxb-••••••••</code> stored sealed{s.updatedAt ? `, saved ${formatDateTime(s.updatedAt)}` : ''}
          </dd>
          <dt>Signing secret</dt>
          <dd>
            <code>••••••••</code> stored sealed
          </dd>
        </dl>
      )}
      {tested &&
        (tested.ok ? (
          <Alert tone="success">
            Connected: Slack answered for {tested.workspace} ({formatDateTime(tested.at)}).
          </Alert>
        ) : (
          <Alert>Not connected: {tested.message}</Alert>
        ))}
      {saving.error && problems.length === 0 && <Alert>{errorMessage(saving.error)}</Alert>}
      {removing.error && <Alert>{errorMessage(removing.error)}</Alert>}
      <TextField label="Bot User OAuth Token" type="password" autoComplete="off" placeholder="xoxb-…" value={form.botToken} onChange={(e) => setForm({ ...form, botToken: e.target.value })} error={at('botToken')} />
      <TextField label="Signing secret" type="password" autoComplete="off" value={form.signingSecret} onChange={(e) => setForm({ ...form, signingSecret: e.target.value })} error={at('signingSecret')} />
      <div className="hs-row">
        <Button type="submit" busy={saving.loading}>
          Save Slack app
        </Button>
        {s.configured && (
          <Button type="button" variant="secondary" busy={testing} onClick={test}>
            Test connection
          </Button>
        )}
        {s.source === 'STORED' && (
          <Button type="button" variant="secondary" busy={removing.loading} onClick={() => void remove().catch(() => undefined)}>
            Forget stored credentials
          </Button>
        )}
      </div>
    </form>
  );
}
