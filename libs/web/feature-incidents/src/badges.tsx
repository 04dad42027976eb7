import { useMutation } from '@apollo/client/react';
import { INCIDENT_STATUSES, SEVERITIES } from '@hindsight/domain';
import { errorMessage, type IncidentStatus, type PostmortemStatus, type Severity, type UpdateIncidentInput } from '@hindsight/web-data-access';
import { Badge, formatDate, labelOf, PropertyPicker } from '@hindsight/web-ui';
import { UpdateIncident } from './incident.operations';
import { SEVERITY_HINT, SEVERITY_TONE, STATUS_TONE } from './incident.view';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge tone={SEVERITY_TONE[severity]} title={SEVERITY_HINT[severity]}>
      {severity}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{labelOf('IncidentStatus', status)}</Badge>;
}

function useIncidentUpdate(id: string) {
  // The mutation returns what the page shows of the incident: the cache updates, nothing is read again.
  const [update] = useMutation(UpdateIncident);
  return (input: UpdateIncidentInput) =>
    update({ variables: { id, input } }).catch((e: unknown) => {
      throw new Error(errorMessage(e));
    });
}

/** The incident's status in place (one click, Undo in the toast), for those who may edit incidents. */
export function IncidentStatusPicker({ id, status }: { id: string; status: IncidentStatus }) {
  const update = useIncidentUpdate(id);
  return (
    <PropertyPicker
      label="Status"
      value={status}
      options={INCIDENT_STATUSES.map((s) => ({ value: s, label: labelOf('IncidentStatus', s) }))}
      renderValue={(v) => (v ? <StatusBadge status={v} /> : null)}
      onChange={(next) => update({ status: next })}
    />
  );
}

export function SeverityPicker({ id, severity }: { id: string; severity: Severity }) {
  const update = useIncidentUpdate(id);
  return (
    <PropertyPicker
      label="Severity"
      value={severity}
      options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_HINT[s] }))}
      renderValue={(v) => (v ? <SeverityBadge severity={v} /> : null)}
      onChange={(next) => update({ severity: next })}
    />
  );
}

export function RepeatBadge() {
  return (
    <Badge tone="warning" title="One of its services had an incident with a factor of the same category in the previous 90 days.">
      Repeat
    </Badge>
  );
}

/** The postmortem's state at a glance; an unpublished one past its due date says so in words. */
export function PostmortemCell({ postmortem }: { postmortem: { status: PostmortemStatus; dueAt: string | null } | null }) {
  if (!postmortem) return <span className="hs-muted">—</span>;
  const overdue = postmortem.status !== 'PUBLISHED' && postmortem.dueAt !== null && new Date(postmortem.dueAt).getTime() < Date.now();
  return (
    <>
      <Badge tone={postmortem.status === 'PUBLISHED' ? 'ok' : postmortem.status === 'IN_REVIEW' ? 'info' : 'neutral'}>{labelOf('PostmortemStatus', postmortem.status)}</Badge>
      {overdue && (
        <>
          {' '}
          <Badge tone="danger" title={`Was due ${formatDate(postmortem.dueAt)}`}>
            Overdue
          </Badge>
        </>
      )}
    </>
  );
}
