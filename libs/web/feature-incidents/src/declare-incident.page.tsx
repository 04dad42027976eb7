import './incidents.css';
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link, useNavigate } from 'react-router';
import { SEVERITIES } from '@hindsight/domain';
import { errorMessage, useSession, type IncidentKind, type Severity } from '@hindsight/web-data-access';
import { Alert, Button, EmptyState, ErrorState, fromDateTimeInput, LoadingState, PageHeader, SelectField, TextAreaField, TextField, toDateTimeInput } from '@hindsight/web-ui';
import { DeclareIncident, IncidentPickers } from './incidents.operations';
import { canEditIncidents, SEVERITY_HINT, splitList } from './incident.view';
import { formProblems } from './problems';

const FIELDS = ['title', 'severity', 'startedAt', 'detectedAt', 'serviceIds', 'commanderId', 'segments', 'summary'];


export function DeclareIncidentPage() {
  const { user } = useSession();
  const navigate = useNavigate();
  const pickers = useQuery(IncidentPickers);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('SEV2');
  const [startedAt, setStartedAt] = useState(() => toDateTimeInput(new Date().toISOString()));
  const [detectedAt, setDetectedAt] = useState('');
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [commanderId, setCommanderId] = useState(user?.id ?? '');
  const [segments, setSegments] = useState('');
  const [summary, setSummary] = useState('');
  const [kind, setKind] = useState<IncidentKind>('INCIDENT');
  const [declare, { loading, error }] = useMutation(DeclareIncident, { refetchQueries: ['IncidentsList'] });

  if (!canEditIncidents(user)) {
    return (
      <EmptyState title="Declaring incidents needs the commander role or above.">
        <Link to="/incidents">Back to incidents</Link>
      </EmptyState>
    );
  }
  if (pickers.error && !pickers.data) return <ErrorState message={errorMessage(pickers.error)} onRetry={() => void pickers.refetch()} />;
  if (!pickers.data) return <LoadingState label="Loading services and people…" />;

  const { at, general } = formProblems(error, FIELDS);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await declare({
      variables: {
        input: {
          title,
          severity,
          // An unparseable date goes as the raw text so the API names the field to fix.
          startedAt: fromDateTimeInput(startedAt) ?? startedAt,
          detectedAt: detectedAt ? (fromDateTimeInput(detectedAt) ?? detectedAt) : null,
          serviceIds,
          commanderId: commanderId || null,
          segments: splitList(segments),
          summary: summary.trim() ? summary : null,
          kind,
        },
      },
    }).catch(() => null);
    const reference = result?.data?.createIncident.reference;
    if (reference) navigate(`/incidents/${reference}`);
  };

  return (
    <>
      <PageHeader title="Declare an incident" description="Start the record now; everything can be completed as you learn more." />
      <form className="hs-card hs-form" aria-label="Declare an incident" onSubmit={onSubmit} noValidate>
        {general && <Alert>{general}</Alert>}
        <TextField label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={at('title')} required hint="What customers experience, e.g. “Checkout fails for EU customers”." autoFocus />
        <div className="hs-row">
          <SelectField
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as IncidentKind)}
            options={[
              { value: 'INCIDENT', label: 'Incident' },
              { value: 'NEAR_MISS', label: 'Near miss (no customer impact)' },
            ]}
          />
          <SelectField label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)} options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_HINT[s] }))} error={at('severity')} />
          <TextField label="Started at" type="datetime-local" value={startedAt} onChange={(e) => setStartedAt(e.target.value)} error={at('startedAt')} required />
          <TextField label="Detected at (optional)" type="datetime-local" value={detectedAt} onChange={(e) => setDetectedAt(e.target.value)} error={at('detectedAt')} />
          <SelectField
            label="Commander"
            placeholder="No commander yet"
            value={commanderId}
            onChange={(e) => setCommanderId(e.target.value)}
            options={pickers.data.users.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
            error={at('commanderId')}
          />
        </div>
        <fieldset className="hs-fieldset" aria-describedby={at('serviceIds') ? 'declare-services-error' : undefined}>
          <legend>Affected services</legend>
          {pickers.data.services.length === 0 && <p className="hs-muted">No services are registered yet; an administrator adds them under Services.</p>}
          <div className="hs-checks">
            {pickers.data.services.map((s) => (
              <label key={s.id}>
                <input type="checkbox" checked={serviceIds.includes(s.id)} onChange={(e) => setServiceIds((ids) => (e.target.checked ? [...ids, s.id] : ids.filter((id) => id !== s.id)))} /> {s.name}
              </label>
            ))}
          </div>
          {at('serviceIds') && (
            <span id="declare-services-error" className="hs-field__error">
              {at('serviceIds')}
            </span>
          )}
        </fieldset>
        <TextField label="Customer segments (optional)" value={segments} onChange={(e) => setSegments(e.target.value)} hint="Comma-separated, e.g. enterprise, eu." error={at('segments')} />
        <TextAreaField label="Summary (optional, Markdown)" value={summary} onChange={(e) => setSummary(e.target.value)} error={at('summary')} rows={4} />
        <div className="hs-row">
          <Button type="submit" busy={loading}>
            Declare incident
          </Button>
          <Link to="/incidents">Cancel</Link>
        </div>
      </form>
    </>
  );
}
