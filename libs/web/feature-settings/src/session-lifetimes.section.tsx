import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { errorMessage, fieldProblems } from '@hindsight/web-data-access';
import { Alert, Button, ErrorState, LoadingState, TextField } from '@hindsight/web-ui';
import { SessionLifetimesQuery, UpdateSessionLifetimes } from './settings.operations';

/** How long a sign-in lasts: shortening applies at once to sessions already open. */
export function SessionLifetimesSection() {
  const { data, error, refetch } = useQuery(SessionLifetimesQuery);
  const [form, setForm] = useState({ idle: '', absolute: '' });
  // The settings have no id to update by: the saved values are written over the query's.
  const [save, saving] = useMutation(UpdateSessionLifetimes, {
    update: (cache, { data: saved }) => saved && cache.writeQuery({ query: SessionLifetimesQuery, data: { sessionLifetimes: saved.updateSessionLifetimes } }),
  });
  useEffect(() => {
    if (data) setForm({ idle: String(data.sessionLifetimes.idleTimeoutMinutes), absolute: String(data.sessionLifetimes.absoluteLifetimeHours) });
  }, [data]);
  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (!data) return <LoadingState label="Loading session lifetimes…" />;
  const problems = fieldProblems(saving.error);
  const at = (suffix: string) => problems.find((p) => p.field.endsWith(suffix))?.message ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save({ variables: { input: { idleTimeoutMinutes: Number(form.idle), absoluteLifetimeHours: Number(form.absolute) } } }).catch(() => undefined);
  };
  return (
    <form className="hs-card" aria-labelledby="sessions-heading" onSubmit={onSubmit} noValidate>
      <h2 id="sessions-heading">Sign-in sessions</h2>
      <p className="hs-muted">A session ends after this long without use, and in any case this long after signing in. Shorter values apply to sessions already open.</p>
      {saving.error && problems.length === 0 && <Alert>{errorMessage(saving.error)}</Alert>}
      {saving.data && !saving.error && <Alert tone="success">Session lifetimes saved.</Alert>}
      <div className="hs-row">
        <TextField label="Idle timeout (minutes)" type="number" min={1} value={form.idle} onChange={(e) => setForm({ ...form, idle: e.target.value })} error={at('idleTimeoutMinutes')} />
        <TextField label="Absolute lifetime (hours)" type="number" min={1} value={form.absolute} onChange={(e) => setForm({ ...form, absolute: e.target.value })} error={at('absoluteLifetimeHours')} />
      </div>
      <Button type="submit" busy={saving.loading}>
        Save session lifetimes
      </Button>
    </form>
  );
}
