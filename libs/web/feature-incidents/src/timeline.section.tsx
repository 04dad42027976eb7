import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { TIMELINE_EVENT_KINDS } from '@hindsight/domain';
import type { HypothesisStatus, IncidentDetailQuery, TimelineEventKind } from '@hindsight/web-data-access';
import { Badge, Button, formatDateTime, fromDateTimeInput, SelectField, TextAreaField, TextField, toDateTimeInput } from '@hindsight/web-ui';
import { AddHypothesis, AddTimelineEvent, DecideHypothesis } from './incident.operations';
import { humanize } from './incident.view';
import { FormCard, SafeLink, Section } from './form-card';
import { formProblems } from './problems';

type Incident = NonNullable<IncidentDetailQuery['incident']>;

export function TimelineSection({ incident, editable }: { incident: Incident; editable: boolean }) {
  return (
    <Section id="timeline" title="Timeline">
      {incident.timeline.length === 0 ? (
        <p className="hs-muted">No events yet. Record what happened, when, and the evidence you looked at.</p>
      ) : (
        <ol className="hs-timeline">
          {incident.timeline.map((event) => (
            <li key={event.id}>
              <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
              <div>
                <Badge tone={event.kind === 'MITIGATION' || event.kind === 'RESOLUTION' ? 'ok' : event.kind === 'ALERT' || event.kind === 'DETECTION' ? 'warning' : 'neutral'}>{humanize(event.kind)}</Badge> <span className="hs-prewrap">{event.description}</span>
                <div className="hs-muted hs-small">
                  {event.author ? `by ${event.author.name}` : `via ${humanize(event.source)}`}
                  {event.evidenceUrl && (
                    <>
                      {' · '}
                      <SafeLink href={event.evidenceUrl}>Evidence</SafeLink>
                    </>
                  )}
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
      {editable && <AddEventForm incidentId={incident.id} />}
    </Section>
  );
}

function AddEventForm({ incidentId }: { incidentId: string }) {
  const [occurredAt, setOccurredAt] = useState(() => toDateTimeInput(new Date().toISOString()));
  const [kind, setKind] = useState<TimelineEventKind>('NOTE');
  const [description, setDescription] = useState('');
  const [evidenceUrl, setEvidenceUrl] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [add, { loading, error }] = useMutation(AddTimelineEvent, { refetchQueries: ['IncidentDetail'], awaitRefetchQueries: true });
  const { at, general } = formProblems(error, ['occurredAt', 'kind', 'description', 'evidenceUrl']);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const ok = await add({
      variables: { incidentId, input: { occurredAt: fromDateTimeInput(occurredAt) ?? occurredAt, kind, description, evidenceUrl: evidenceUrl.trim() || null } },
    }).then(
      () => true,
      () => false,
    );
    if (ok) {
      setDescription('');
      setEvidenceUrl('');
      setDone('Event added to the timeline.');
    }
  };
  return (
    <FormCard title="Add an event" onSubmit={onSubmit} general={general} done={done}>
      <div className="hs-row">
        <TextField label="When" type="datetime-local" value={occurredAt} onChange={(e) => setOccurredAt(e.target.value)} error={at('occurredAt')} />
        <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as TimelineEventKind)} options={TIMELINE_EVENT_KINDS.map((k) => ({ value: k, label: humanize(k) }))} error={at('kind')} />
        <TextField label="Evidence link (optional)" type="url" value={evidenceUrl} onChange={(e) => setEvidenceUrl(e.target.value)} placeholder="https://grafana.example/d/…" error={at('evidenceUrl')} />
      </div>
      <TextAreaField label="What happened" value={description} onChange={(e) => setDescription(e.target.value)} error={at('description')} rows={2} />
      <Button type="submit" busy={loading}>
        Add event
      </Button>
    </FormCard>
  );
}

const HYPOTHESIS_TONE = { OPEN: 'info', CONFIRMED: 'ok', REJECTED: 'neutral' } as const;

export function HypothesesSection({ incident, editable }: { incident: Incident; editable: boolean }) {
  return (
    <Section id="hypotheses" title="Hypotheses">
      <p className="hs-muted hs-small">Record each idea while it is open; confirm or reject it with the evidence, so correlation is never mistaken for cause.</p>
      {incident.hypotheses.length === 0 ? (
        <p className="hs-muted">No hypotheses recorded.</p>
      ) : (
        <ul className="hs-list">
          {incident.hypotheses.map((h) => (
            <li key={h.id}>
              <Badge tone={HYPOTHESIS_TONE[h.status]}>{humanize(h.status)}</Badge> <span className="hs-prewrap">{h.statement}</span>
              {h.status !== 'OPEN' && (
                <div className="hs-muted hs-small">
                  Evidence: <span className="hs-prewrap">{h.evidence}</span> — {h.decidedBy?.name ?? 'someone'}, {formatDateTime(h.decidedAt)}
                </div>
              )}
              {h.status === 'OPEN' && editable && <DecideForm id={h.id} statement={h.statement} />}
            </li>
          ))}
        </ul>
      )}
      {editable && <AddHypothesisForm incidentId={incident.id} />}
    </Section>
  );
}

function DecideForm({ id, statement }: { id: string; statement: string }) {
  const [evidence, setEvidence] = useState('');
  const [decide, { loading, error }] = useMutation(DecideHypothesis, { refetchQueries: ['IncidentDetail'] });
  const { at, general } = formProblems(error, ['evidence', 'status']);
  const submit = (status: HypothesisStatus) => void decide({ variables: { id, status, evidence } }).catch(() => undefined);
  return (
    <form className="hs-decide" aria-label={`Decide: ${statement}`} onSubmit={(e) => e.preventDefault()} noValidate>
      {general && <p className="hs-field__error">{general}</p>}
      <TextField label="Evidence for the verdict" value={evidence} onChange={(e) => setEvidence(e.target.value)} error={at('evidence')} placeholder="e.g. error rate fell to zero after the rollback at 14:05" />
      <div className="hs-row">
        <Button variant="secondary" busy={loading} onClick={() => submit('CONFIRMED')}>
          Confirm
        </Button>
        <Button variant="secondary" busy={loading} onClick={() => submit('REJECTED')}>
          Reject
        </Button>
      </div>
    </form>
  );
}

function AddHypothesisForm({ incidentId }: { incidentId: string }) {
  const [statement, setStatement] = useState('');
  const [add, { loading, error }] = useMutation(AddHypothesis, { refetchQueries: ['IncidentDetail'], awaitRefetchQueries: true });
  const { at, general } = formProblems(error, ['statement']);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await add({ variables: { incidentId, statement } }).then(
      () => true,
      () => false,
    );
    if (ok) setStatement('');
  };
  return (
    <FormCard title="Add a hypothesis" onSubmit={onSubmit} general={general}>
      <TextField label="Hypothesis" value={statement} onChange={(e) => setStatement(e.target.value)} error={at('statement')} placeholder="e.g. the 13:50 config push raised the connection limit" />
      <Button type="submit" busy={loading}>
        Add hypothesis
      </Button>
    </FormCard>
  );
}
