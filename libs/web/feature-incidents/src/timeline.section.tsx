import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { TIMELINE_EVENT_KINDS } from '@hindsight/domain';
import type { HypothesisStatus, IncidentDetailQuery, TimelineEventKind } from '@hindsight/web-data-access';
import { Badge, Button, enumOptions, formatDateTime, fromDateTimeInput, labelOf, SelectField, TextAreaField, TextField, toDateTimeInput } from '@hindsight/web-ui';
import { AddHypothesis, AddTimelineEvent, DecideHypothesis, DeleteTimelineEvent, UpdateTimelineEvent } from './incident.operations';
import { RowActions } from './row-actions';
import { AddPanel } from './add-panel';
import { addToIncident, byTime } from './incident.cache';
import { FormButtons, FormCard, SafeLink, Section } from './form-card';
import { formProblems } from './problems';

type Incident = NonNullable<IncidentDetailQuery['incident']>;

type TimelineEvent = Incident['timeline'][number];

export function TimelineSection({ incident, editable }: { incident: Incident; editable: boolean }) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Section id="timeline" title="Timeline">
      {incident.timeline.length === 0 ? (
        <p className="hs-muted">No events yet. Record what happened, when, and the evidence you looked at.</p>
      ) : (
        <ol className="hs-timeline">
          {byTime(incident.timeline).map((event) =>
            editing === event.id ? (
              <li key={event.id} className="hs-timeline__editing">
                <EditEventForm event={event} onClose={() => setEditing(null)} />
              </li>
            ) : (
              <EventRow key={event.id} event={event} editable={editable} onEdit={() => setEditing(event.id)} />
            ),
          )}
        </ol>
      )}
      {editable && <AddPanel label="Add event" shortcut="e">{() => <AddEventForm incidentId={incident.id} />}</AddPanel>}
    </Section>
  );
}

function EventRow({ event, editable, onEdit }: { event: TimelineEvent; editable: boolean; onEdit: () => void }) {
  return (
    // The anchor a model draft's citations link to (postmortem editor, "Draft with AI").
    <li id={`event-${event.id}`}>
      <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
      <div>
        <Badge tone={event.kind === 'MITIGATION' || event.kind === 'RESOLUTION' ? 'ok' : event.kind === 'ALERT' || event.kind === 'DETECTION' ? 'warning' : 'neutral'}>{labelOf('TimelineEventKind', event.kind)}</Badge> <span className="hs-prewrap">{event.description}</span>
        <div className="hs-muted hs-small">
          {event.author ? `by ${event.author.name}` : `via ${labelOf('EventSource', event.source)}`}
          {event.evidenceUrl && (
            <>
              {' · '}
              <SafeLink href={event.evidenceUrl}>Evidence</SafeLink>
            </>
          )}
          {editable && (
            <>
              {' '}
              <RowActions what="event" id={event.id} name={event.description} typename="TimelineEvent" deleteMutation={DeleteTimelineEvent} onEdit={onEdit} />
            </>
          )}
        </div>
      </div>
    </li>
  );
}

interface EventValues {
  occurredAt: string;
  kind: TimelineEventKind;
  description: string;
  evidenceUrl: string;
}

/** The fields of an event, for adding one or correcting one; resolves true when saved. */
function EventForm({ title, initial, submitLabel, busy, error, onSave, onCancel }: { title: string; initial: EventValues; submitLabel: string; busy: boolean; error: unknown; onSave: (v: EventValues) => Promise<boolean>; onCancel?: () => void }) {
  const [values, setValues] = useState(initial);
  const [done, setDone] = useState<string | null>(null);
  const set = (patch: Partial<EventValues>) => setValues((v) => ({ ...v, ...patch }));
  const { at, general } = formProblems(error, ['occurredAt', 'kind', 'description', 'evidenceUrl']);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if ((await onSave(values)) && !onCancel) {
      set({ description: '', evidenceUrl: '' });
      setDone('Event added to the timeline.');
    }
  };
  return (
    <FormCard title={title} onSubmit={onSubmit} general={general} done={done}>
      <div className="hs-row">
        <TextField label="When" type="datetime-local" value={values.occurredAt} onChange={(e) => set({ occurredAt: e.target.value })} error={at('occurredAt')} />
        <SelectField label="Kind" value={values.kind} onChange={(e) => set({ kind: e.target.value as TimelineEventKind })} options={enumOptions('TimelineEventKind', TIMELINE_EVENT_KINDS)} error={at('kind')} />
        <TextField label="Evidence link (optional)" type="url" value={values.evidenceUrl} onChange={(e) => set({ evidenceUrl: e.target.value })} placeholder="https://grafana.example/d/…" error={at('evidenceUrl')} />
      </div>
      <TextAreaField label="What happened" value={values.description} onChange={(e) => set({ description: e.target.value })} error={at('description')} rows={2} />
      <FormButtons submitLabel={submitLabel} busy={busy} onCancel={onCancel} />
    </FormCard>
  );
}

function eventInput(v: EventValues) {
  return { occurredAt: fromDateTimeInput(v.occurredAt) ?? v.occurredAt, kind: v.kind, description: v.description, evidenceUrl: v.evidenceUrl.trim() || null };
}

function AddEventForm({ incidentId }: { incidentId: string }) {
  const [add, { loading, error }] = useMutation(AddTimelineEvent, { update: (cache, { data }) => addToIncident(cache, incidentId, 'timeline', data?.addTimelineEvent) });
  const initial = { occurredAt: toDateTimeInput(new Date().toISOString()), kind: 'NOTE' as const, description: '', evidenceUrl: '' };
  return (
    <EventForm
      title="Add an event"
      submitLabel="Add event"
      initial={initial}
      busy={loading}
      error={error}
      onSave={(v) => add({ variables: { incidentId, input: eventInput(v) } }).then(() => true, () => false)}
    />
  );
}

function EditEventForm({ event, onClose }: { event: TimelineEvent; onClose: () => void }) {
  const [update, { loading, error }] = useMutation(UpdateTimelineEvent);
  const initial = { occurredAt: toDateTimeInput(event.occurredAt), kind: event.kind, description: event.description, evidenceUrl: event.evidenceUrl ?? '' };
  return (
    <EventForm
      title="Correct this event"
      submitLabel="Save event"
      initial={initial}
      busy={loading}
      error={error}
      onCancel={onClose}
      onSave={async (v) => {
        // The list is ordered by time where it is shown, so a moved event lands in its place.
        // Only what was changed is sent: the minute-precision time field must not round a stored time it did not touch.
        const all = eventInput(v);
        const input = {
          ...(v.occurredAt !== initial.occurredAt && { occurredAt: all.occurredAt }),
          ...(v.kind !== initial.kind && { kind: all.kind }),
          ...(v.description !== initial.description && { description: all.description }),
          ...(v.evidenceUrl !== initial.evidenceUrl && { evidenceUrl: all.evidenceUrl }),
        };
        const ok = await update({ variables: { id: event.id, input } }).then(() => true, () => false);
        if (ok) onClose();
        return ok;
      }}
    />
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
              <Badge tone={HYPOTHESIS_TONE[h.status]}>{labelOf('HypothesisStatus', h.status)}</Badge> <span className="hs-prewrap">{h.statement}</span>
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
      {editable && <AddPanel label="Add hypothesis" shortcut="h">{() => <AddHypothesisForm incidentId={incident.id} />}</AddPanel>}
    </Section>
  );
}

function DecideForm({ id, statement }: { id: string; statement: string }) {
  const [evidence, setEvidence] = useState('');
  const [decide, { loading, error }] = useMutation(DecideHypothesis);
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
  const [add, { loading, error }] = useMutation(AddHypothesis, { update: (cache, { data }) => addToIncident(cache, incidentId, 'hypotheses', data?.addHypothesis) });
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
