import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useParams, useSearchParams } from 'react-router';
import { canEditActionItem, nudgeActionFromParam, type NudgeActionKind } from '@hindsight/domain';
import { errorMessage, useSession, type ActionItemDetailQuery, type EscalationState, type SessionUserFragment } from '@hindsight/web-data-access';
import { Badge, type BadgeTone, Button, EmptyState, ErrorState, formatDate, formatDateTime, labelOf, LoadingState, PageHeader, Table, unassignedLabel } from '@hindsight/web-ui';
import { ActionItemDetail } from './action-items.operations';
import { dueText, OPEN_STATUSES, PRIORITY_TONE, urgencyOf } from './action-item.view';
import { CompleteForm, EditableProperty, SnoozeForm } from './action-item-forms';
import { ActionDueDatePicker, ActionOwnerPicker, ActionPriorityPicker, ActionStatusPicker, ActionTeamPicker, mayMoveDueDate, useReasonPrompt } from './action-item-pickers';
import { ClaimButton, ExtensionRequestsSection, MoreTimeForm } from './nudge-answers';
import { TrackerLinkPanel } from '@hindsight/web-feature-trackers';

type Item = NonNullable<ActionItemDetailQuery['actionItem']>;

const ACTION_TITLE: Record<Exclude<NudgeActionKind, 'OPEN'>, string> = {
  COMPLETE: 'Mark it done',
  EXTEND: 'Ask for more time',
  SNOOZE: 'Snooze the reminders',
  CLAIM: 'Take it on',
};

/**
 * The answer a reminder's link chose, ready to confirm: opening the link changed nothing
 * (mail scanners and chat unfurlers fetch links), the person confirms with the button.
 */
function RespondPanel({ item, user, action, canEdit, viaDelivery }: { item: Item; user: SessionUserFragment; action: Exclude<NudgeActionKind, 'OPEN'>; canEdit: boolean; viaDelivery: string | null }) {
  let body;
  if (action === 'CLAIM') {
    body = item.assignee ? (
      <p>{item.assignee.id === user.id ? 'This item is already yours.' : `${item.assignee.name} already has this item; the team manager can reassign it.`}</p>
    ) : (
      <div className="hs-card">
        <p>Nobody on the {item.ownerTeam.name} team has this item yet. Taking it makes you its assignee; reminders then come to you.</p>
        <ClaimButton item={item} user={user} viaDelivery={viaDelivery} />
      </div>
    );
  } else if (!canEdit) {
    body = <p>Only the owning team, commanders and administrators can update this item.</p>;
  } else if (action === 'EXTEND') {
    body = <MoreTimeForm item={item} user={user} autoFocus viaDelivery={viaDelivery} />;
  } else if (action === 'COMPLETE') {
    body = <CompleteForm item={item} viaDelivery={viaDelivery} />;
  } else {
    body = <SnoozeForm item={item} viaDelivery={viaDelivery} />;
  }
  return (
    <section className="hs-respond" aria-labelledby="respond-title">
      <h2 id="respond-title">{ACTION_TITLE[action]}</h2>
      <p className="hs-muted">You came from a reminder. Nothing has changed yet: confirm below.</p>
      {body}
    </section>
  );
}

const STATE_LABEL: Record<EscalationState, { text: string; tone: BadgeTone }> = {
  SENT: { text: 'sent', tone: 'ok' },
  SUPERSEDED: { text: 'superseded', tone: 'neutral' },
  PENDING: { text: 'going out', tone: 'info' },
  UNREACHED: { text: 'reached nobody', tone: 'danger' },
  FAILED: { text: 'failed', tone: 'danger' },
  SKIPPED: { text: 'not sent', tone: 'neutral' },
  SCHEDULED: { text: 'next', tone: 'neutral' },
};

/** Every step of the current due date: whom it reached, or that it reached nobody and why; then the next one. */
function Escalation({ steps }: { steps: Item['escalation'] }) {
  if (steps.length === 0) return <p className="hs-muted">No reminders: the item is closed.</p>;
  return (
    <ol className="hs-escalation">
      {steps.map((s) => (
        <li key={s.step} data-state={s.state}>
          <strong>{labelOf('LadderStep', s.step)}</strong> <span className="hs-muted">{s.state === 'SCHEDULED' ? `on ${formatDate(s.dueAt)}` : formatDate(s.dueAt)}</span>{' '}
          <Badge tone={STATE_LABEL[s.state].tone}>{STATE_LABEL[s.state].text}</Badge>
          {s.reached.length > 0 && <span> {s.state === 'SCHEDULED' || s.state === 'PENDING' ? 'will reach' : 'reached'} {s.reached.join(', ')}.</span>}
          {s.reason && <span className="hs-muted"> {s.reason.charAt(0).toUpperCase() + s.reason.slice(1)}.</span>}
          {s.adminHint && (
            <span className="hs-escalation__hint">
              {' '}
              {s.adminHint} {s.adminPath && <Link to={s.adminPath}>Go there</Link>}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

/** "Mark as done" opens its form where the button is; done, the item shows its completion. */
function CompleteAction({ item }: { item: Item }) {
  const [completing, setCompleting] = useState(false);
  return completing ? (
    // Escape anywhere in the open form closes it: a key handler on the group, not a control.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div className="hs-inline-edit hs-complete-action" onKeyDown={(e) => e.key === 'Escape' && setCompleting(false)}>
      <CompleteForm item={item} onDone={() => setCompleting(false)} />
      <Button variant="secondary" className="hs-button--small" onClick={() => setCompleting(false)}>
        Cancel
      </Button>
    </div>
  ) : (
    <p className="hs-complete-action">
      <Button onClick={() => setCompleting(true)}>Mark as done</Button>
    </p>
  );
}

export function ActionItemPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const action = nudgeActionFromParam(params.get('action'));
  // The reminder whose link led here: answers carry it back so they can be traced to it.
  const viaDelivery = /^[0-9a-f-]{36}$/i.test(params.get('delivery') ?? '') ? params.get('delivery') : null;
  const { user } = useSession();
  const { data, loading, error, refetch } = useQuery(ActionItemDetail, { variables: { id } });
  const [ask, reasonDialog] = useReasonPrompt();

  if (error && !data) return <ErrorState message={errorMessage(error)} onRetry={() => void refetch()} />;
  if (loading && !data) return <LoadingState label="Loading the action item…" />;
  const item = data?.actionItem;
  if (!item) return <EmptyState title="There is no action item with this id."><Link to="/action-items">Back to action items</Link></EmptyState>;

  const open = OPEN_STATUSES.includes(item.status);
  const canEdit = !!user && canEditActionItem({ id: user.id, role: user.role, teamIds: user.teams.map((t) => t.id) }, item.ownerTeam.id);
  const urgency = urgencyOf(item);
  // Properties are changed in place, each in one spot, while the item is open.
  const editing = canEdit && open;
  const note = dueText(item);

  return (
    <>
      <PageHeader title={item.title} description={`From ${item.incident.reference}: ${item.incident.title}`} />
      {open && user && action !== 'OPEN' && <RespondPanel item={item} user={user} action={action} canEdit={canEdit} viaDelivery={viaDelivery} />}
      {editing && action !== 'COMPLETE' && <CompleteAction item={item} />}
      <div className="hs-grid-2">
        <section className="hs-card" aria-labelledby="item-details">
          <h2 id="item-details">Details</h2>
          <dl className="hs-dl">
            {/* View first, edit in place: each property is its own picker (one click, shown at once, Undo in the toast) for those who may change it; plain words for everyone else. */}
            <dt>Status</dt>
            <dd data-property="Status">{canEdit ? <ActionStatusPicker item={item} ask={ask} /> : labelOf('ActionStatus', item.status)}</dd>
            <dt>Priority</dt>
            <dd data-property="Priority">{editing ? <ActionPriorityPicker item={item} /> : <Badge tone={PRIORITY_TONE[item.priority]}>{item.priority}</Badge>}</dd>
            <dt>Kind</dt>
            <dd>{labelOf('ActionKind', item.kind)}</dd>
            <dt>Team</dt>
            <dd data-property="Team">{editing ? <ActionTeamPicker item={item} /> : item.ownerTeam.name}</dd>
            <dt>Assignee</dt>
            <dd data-property="Assignee">
              {editing ? <ActionOwnerPicker item={item} /> : (item.assignee?.name ?? unassignedLabel(item.previousAssignee))} {open && user && action !== 'CLAIM' && <ClaimButton item={item} user={user} />}
            </dd>
            {/* A reminder's "Need more time" opens its own form above: the due date is not offered twice. */}
            <dt>Due</dt>
            <dd data-property="Due">
              {/* The picker says "52 days overdue" itself; the plain date gets the badge. */}
              {editing && action !== 'EXTEND' && mayMoveDueDate(user, item) ? (
                <ActionDueDatePicker item={item} ask={ask} />
              ) : (
                <>
                  {formatDate(item.dueAt)} {note && <Badge tone={urgency === 'overdue' ? 'danger' : urgency === 'due-soon' ? 'warning' : 'neutral'}>{note}</Badge>}
                </>
              )}
            </dd>
            <EditableProperty name="Reminders" value={item.snoozedUntil ? `Snoozed until ${formatDate(item.snoozedUntil)} — ${item.snoozeReason ?? ''}` : 'Active'} editable={editing && action !== 'SNOOZE'}>
              {(close) => <SnoozeForm item={item} onDone={close} />}
            </EditableProperty>
            <dt>Incident</dt>
            <dd>
              <Link to={`/incidents/${item.incident.reference}`}>{item.incident.reference}</Link>
            </dd>
            {item.addressesFactor && (
              <>
                <dt>Addresses factor</dt>
                <dd>
                  {labelOf('FactorCategory', item.addressesFactor.category)}: {item.addressesFactor.description}
                </dd>
              </>
            )}
            {item.addressesSafeguard && (
              <>
                <dt>Addresses safeguard</dt>
                <dd>
                  {labelOf('SafeguardKind', item.addressesSafeguard.kind)}: {item.addressesSafeguard.expectedBehavior}
                </dd>
              </>
            )}
            {item.externalUrl && (
              <>
                <dt>Tracker</dt>
                <dd>
                  <a href={item.externalUrl} rel="noreferrer noopener" target="_blank">
                    {item.externalUrl}
                  </a>
                </dd>
              </>
            )}
            <dt>RICE score</dt>
            <dd>{item.riceScore === null || item.riceScore === undefined ? '—' : item.riceScore.toFixed(1)}</dd>
            {item.completedAt && (
              <>
                <dt>Completed</dt>
                <dd>{formatDateTime(item.completedAt)}</dd>
                <dt>Completion note</dt>
                <dd>{item.completionNote}</dd>
                {item.verification && (
                  <>
                    <dt>Verification</dt>
                    <dd>{item.verification}</dd>
                  </>
                )}
              </>
            )}
            {item.wontDoReason && (
              <>
                <dt>Won't do because</dt>
                <dd>{item.wontDoReason}</dd>
              </>
            )}
          </dl>
          {item.description && <p>{item.description}</p>}
        </section>
        <section className="hs-card" aria-labelledby="item-deadlines">
          <h2 id="item-deadlines">Deadline history</h2>
          {item.dueDateChanges.length === 0 ? (
            <p className="hs-muted">The due date has not been changed.</p>
          ) : (
            <Table
              label="Deadline history"
              rows={item.dueDateChanges}
              rowKey={(c) => c.changedAt + c.newDueAt}
              columns={[
                { key: 'when', header: 'When', render: (c) => `${formatDateTime(c.changedAt)}${c.changedBy ? ` by ${c.changedBy.name}` : ''}`, sortValue: (c) => c.changedAt },
                { key: 'change', header: 'From → to', render: (c) => `${formatDate(c.previousDueAt)} → ${formatDate(c.newDueAt)}` },
                { key: 'why', header: 'Why', render: (c) => c.reason },
              ]}
            />
          )}
        </section>
      </div>
      <TrackerLinkPanel itemId={item.id} canEdit={canEdit} />
      {user && <ExtensionRequestsSection item={item} user={user} />}
      <section className="hs-card" aria-labelledby="item-nudges" style={{ marginTop: 16 }}>
        <h2 id="item-nudges">Reminders</h2>
        <Escalation steps={item.escalation} />
        {item.nudges.length > 0 && (
          <>
            <h3>Deliveries</h3>
            <Table
              label="Deliveries"
              rows={item.nudges}
              rowKey={(n) => n.id}
              columns={[
                { key: 'step', header: 'Step', render: (n) => labelOf('LadderStep', n.step) },
                { key: 'to', header: 'To', render: (n) => n.recipient },
                { key: 'via', header: 'Via', render: (n) => (n.channel ? labelOf('ChannelKind', n.channel) : '—') },
                { key: 'for', header: 'For due date', render: (n) => formatDate(n.dueAt), sortValue: (n) => n.dueAt },
                { key: 'when', header: 'When', render: (n) => formatDateTime(n.sentAt), sortValue: (n) => n.sentAt },
                {
                  key: 'delivery',
                  header: 'Delivery',
                  render: (n) => (
                    <>
                      <Badge tone={n.status === 'SENT' ? 'ok' : n.status === 'FAILED' ? 'danger' : 'neutral'} title={n.lastError ?? undefined}>
                        {n.status.toLowerCase()}
                      </Badge>
                      {n.status === 'FAILED' && n.lastError && <span className="hs-muted"> {n.lastError}</span>}
                    </>
                  ),
                },
              ]}
            />
          </>
        )}
      </section>
      {!canEdit && open && <p className="hs-muted">Only the owning team, commanders and administrators can update this item.</p>}
      {reasonDialog}
    </>
  );
}
