import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { errorMessage, fieldProblems } from '@hindsight/web-data-access';
import { Alert, Button, ErrorState, LoadingState, TextField } from '@hindsight/web-ui';
import { DeleteSlackSettings, SaveSlackSettings, SlackSettingsQuery } from './settings.operations';

/** Settings → Slack: the app's bot token and signing secret (docs/slack.md), stored sealed and never shown again. */
export function SlackSection() {
  const { data, error, refetch } = useQuery(SlackSettingsQuery);
  const [form, setForm] = useState({ botToken: '', signingSecret: '' });
  const [save, saving] = useMutation(SaveSlackSettings, { refetchQueries: ['SlackSettings'] });
  const [remove, removing] = useMutation(DeleteSlackSettings, { refetchQueries: ['SlackSettings'] });
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
      {saving.error && problems.length === 0 && <Alert>{errorMessage(saving.error)}</Alert>}
      {removing.error && <Alert>{errorMessage(removing.error)}</Alert>}
      <TextField label="Bot User OAuth Token" type="password" autoComplete="off" placeholder="xoxb-…" value={form.botToken} onChange={(e) => setForm({ ...form, botToken: e.target.value })} error={at('botToken')} />
      <TextField label="Signing secret" type="password" autoComplete="off" value={form.signingSecret} onChange={(e) => setForm({ ...form, signingSecret: e.target.value })} error={at('signingSecret')} />
      <div className="hs-row">
        <Button type="submit" busy={saving.loading}>
          Save Slack app
        </Button>
        {s.source === 'STORED' && (
          <Button type="button" variant="secondary" busy={removing.loading} onClick={() => void remove().catch(() => undefined)}>
            Forget stored credentials
          </Button>
        )}
      </div>
    </form>
  );
}
