import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { INCIDENT_STATUSES, MILESTONES, SEVERITIES, type Milestone } from '@hindsight/domain';
import type { IncidentDetailQuery, IncidentStatus, Severity } from '@hindsight/web-data-access';
import { Button, enumOptions, formatDateTime, formatMinutes, formatMoney, fromDateTimeInput, SelectField, TextAreaField, TextField, toDateTimeInput } from '@hindsight/web-ui';
import { MarkdownView } from '@hindsight/web-markdown';
import { UpdateIncident } from './incident.operations';
import { IncidentPickers } from './incidents.operations';
import { splitList } from './incident.view';
import { FormCard } from './form-card';
import { formProblems } from './problems';

type Incident = NonNullable<IncidentDetailQuery['incident']>;

const MILESTONE_LABEL: Record<Milestone, string> = {
  startedAt: 'Started',
  detectedAt: 'Detected',
  acknowledgedAt: 'Acknowledged',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
};

/** Milestones with the duration from the start to each (PRODUCT.md 5), as people say them. */
export function Milestones({ incident }: { incident: Incident }) {
  const durations: Partial<Record<Milestone, { abbr: string; title: string; minutes: number | null }>> = {
    detectedAt: { abbr: 'TTD', title: 'Time to detect', minutes: incident.timeToDetectMinutes },
    acknowledgedAt: { abbr: 'TTA', title: 'Time to acknowledge', minutes: incident.timeToAcknowledgeMinutes },
    mitigatedAt: { abbr: 'TTM', title: 'Time to mitigate', minutes: incident.timeToMitigateMinutes },
    resolvedAt: { abbr: 'TTR', title: 'Time to resolve', minutes: incident.timeToResolveMinutes },
  };
  return (
    <ol className="hs-milestones" aria-label="Milestones">
      {MILESTONES.map((m) => {
        const d = durations[m];
        return (
          <li key={m} className={incident[m] ? 'is-set' : undefined}>
            <span className="hs-milestones__name">{MILESTONE_LABEL[m]}</span>
            <span>{formatDateTime(incident[m])}</span>
            {d && (
              <span className="hs-milestones__duration">
                <abbr title={d.title}>{d.abbr}</abbr> {formatMinutes(d.minutes)}
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

export function IncidentFacts({ incident }: { incident: Incident }) {
  return (
    <dl className="hs-dl">
      <dt>Commander</dt>
      <dd>{incident.commander?.name ?? 'None yet'}</dd>
      <dt>Services</dt>
      <dd>{incident.services.map((s) => `${s.name} (${s.team.name})`).join(', ') || 'None recorded'}</dd>
      <dt>Customer segments</dt>
      <dd>{incident.segments.join(', ') || 'All customers / not recorded'}</dd>
      {incident.regions.length > 0 && (
        <>
          <dt>Regions</dt>
          <dd>{incident.regions.join(', ')}</dd>
        </>
      )}
      <dt>Cost</dt>
      <dd>
        {formatMoney(incident.cost)}{' '}
        <span className="hs-muted hs-small">(outage minutes × revenue per minute, responder hours{incident.responderHours ? ` (${incident.responderHours} h)` : ''}, SLA credits)</span>
      </dd>
      <dt>Summary</dt>
      <dd>
        <MarkdownView source={incident.summary} emptyText="No summary yet." />
      </dd>
    </dl>
  );
}

const FIELDS = ['title', 'severity', 'status', 'summary', 'segments', 'responderHours', 'slaCredits', 'serviceIds', 'commanderId', ...MILESTONES];

/** Status, severity and milestones change as the incident unfolds; only what changed is sent. */
export function EditIncidentForm({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const [title, setTitle] = useState(incident.title);
  const [severity, setSeverity] = useState<Severity>(incident.severity);
  const [status, setStatus] = useState<IncidentStatus>(incident.status);
  const [times, setTimes] = useState<Record<Milestone, string>>(() => Object.fromEntries(MILESTONES.map((m) => [m, toDateTimeInput(incident[m])])) as Record<Milestone, string>);
  const [summary, setSummary] = useState(incident.summary ?? '');
  const [segments, setSegments] = useState(incident.segments.join(', '));
  const [responderHours, setResponderHours] = useState(incident.responderHours?.toString() ?? '');
  const [slaCredits, setSlaCredits] = useState(incident.slaCredits?.toString() ?? '');
  const [serviceIds, setServiceIds] = useState(() => incident.services.map((s) => s.id));
  const [commanderId, setCommanderId] = useState(incident.commander?.id ?? '');
  const pickers = useQuery(IncidentPickers);
  // The result carries every field the page shows of the incident (durations, cost, services,
  // the postmortem a resolution opens), so the cache updates without reading the incident again.
  const [update, { loading, error }] = useMutation(UpdateIncident);
  const { at, general } = formProblems(error, FIELDS);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const input: Record<string, unknown> = {};
    if (title !== incident.title) input['title'] = title;
    if (severity !== incident.severity) input['severity'] = severity;
    if (status !== incident.status) input['status'] = status;
    for (const m of MILESTONES) {
      if (times[m] !== toDateTimeInput(incident[m])) input[m] = times[m] ? (fromDateTimeInput(times[m]) ?? times[m]) : null;
    }
    if (summary !== (incident.summary ?? '')) input['summary'] = summary.trim() ? summary : null;
    if (segments !== incident.segments.join(', ')) input['segments'] = splitList(segments);
    const number = (v: string) => (v.trim() === '' ? null : Number(v));
    if (responderHours !== (incident.responderHours?.toString() ?? '')) input['responderHours'] = number(responderHours);
    if (slaCredits !== (incident.slaCredits?.toString() ?? '')) input['slaCredits'] = number(slaCredits);
    const sameServices = serviceIds.length === incident.services.length && incident.services.every((s) => serviceIds.includes(s.id));
    if (!sameServices) input['serviceIds'] = serviceIds;
    if (commanderId !== (incident.commander?.id ?? '')) input['commanderId'] = commanderId || null;
    if (Object.keys(input).length === 0) return onDone();
    const ok = await update({ variables: { id: incident.id, input } }).then(
      () => true,
      () => false,
    );
    if (ok) onDone();
  };

  return (
    <FormCard title="Edit incident" onSubmit={onSubmit} general={general}>
      <TextField label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={at('title')} />
      <div className="hs-row">
        <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value as IncidentStatus)} options={enumOptions('IncidentStatus', INCIDENT_STATUSES)} error={at('status')} />
        <SelectField label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)} options={SEVERITIES.map((s) => ({ value: s, label: s }))} error={at('severity')} />
      </div>
      <div className="hs-row">
        <SelectField
          label="Commander"
          placeholder="No commander"
          value={commanderId}
          onChange={(e) => setCommanderId(e.target.value)}
          options={(pickers.data?.users ?? []).filter((u) => u.active || u.id === commanderId).map((u) => ({ value: u.id, label: u.name }))}
          error={at('commanderId')}
        />
      </div>
      <fieldset className="hs-fieldset">
        <legend>Affected services</legend>
        <div className="hs-checks">
          {(pickers.data?.services ?? []).map((s) => (
            <label key={s.id}>
              <input type="checkbox" checked={serviceIds.includes(s.id)} onChange={(e) => setServiceIds((ids) => (e.target.checked ? [...ids, s.id] : ids.filter((id) => id !== s.id)))} /> {s.name}
            </label>
          ))}
        </div>
        {at('serviceIds') && <span className="hs-field__error">{at('serviceIds')}</span>}
      </fieldset>
      <fieldset className="hs-fieldset">
        <legend>Milestones (each no earlier than the one before)</legend>
        <div className="hs-row">
          {MILESTONES.map((m) => (
            <TextField key={m} label={MILESTONE_LABEL[m]} type="datetime-local" value={times[m]} onChange={(e) => setTimes((t) => ({ ...t, [m]: e.target.value }))} error={at(m)} />
          ))}
        </div>
      </fieldset>
      <div className="hs-row">
        <TextField label="Customer segments" value={segments} onChange={(e) => setSegments(e.target.value)} hint="Comma-separated." error={at('segments')} />
        <TextField label="Responder hours" type="number" min={0} step="0.5" value={responderHours} onChange={(e) => setResponderHours(e.target.value)} error={at('responderHours')} />
        <TextField label="SLA credits paid" type="number" min={0} step="1" value={slaCredits} onChange={(e) => setSlaCredits(e.target.value)} error={at('slaCredits')} />
      </div>
      <TextAreaField label="Summary (Markdown)" value={summary} onChange={(e) => setSummary(e.target.value)} error={at('summary')} rows={4} />
      <div className="hs-row">
        <Button type="submit" busy={loading}>
          Save changes
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </FormCard>
  );
}
