import type { IncidentStatus, PostmortemStatus, Severity } from '@hindsight/web-data-access';
import { Badge, formatDate } from '@hindsight/web-ui';
import { SEVERITY_HINT, SEVERITY_TONE, STATUS_LABEL, STATUS_TONE } from './incident.view';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge tone={SEVERITY_TONE[severity]} title={SEVERITY_HINT[severity]}>
      {severity}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{STATUS_LABEL[status]}</Badge>;
}

export function RepeatBadge() {
  return (
    <Badge tone="warning" title="One of its services had an incident with a factor of the same category in the previous 90 days.">
      Repeat
    </Badge>
  );
}

const PM_LABEL: Record<PostmortemStatus, string> = { DRAFT: 'Draft', IN_REVIEW: 'In review', PUBLISHED: 'Published' };

/** The postmortem's state at a glance; an unpublished one past its due date says so in words. */
export function PostmortemCell({ postmortem }: { postmortem: { status: PostmortemStatus; dueAt: string | null } | null }) {
  if (!postmortem) return <span className="hs-muted">—</span>;
  const overdue = postmortem.status !== 'PUBLISHED' && postmortem.dueAt !== null && new Date(postmortem.dueAt).getTime() < Date.now();
  return (
    <>
      <Badge tone={postmortem.status === 'PUBLISHED' ? 'ok' : postmortem.status === 'IN_REVIEW' ? 'info' : 'neutral'}>{PM_LABEL[postmortem.status]}</Badge>
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
