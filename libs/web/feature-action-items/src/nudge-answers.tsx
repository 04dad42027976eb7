import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { canClaimActionItem, dueDateAnswer, type Actor } from '@hindsight/domain';
import { appendToList, errorMessage, fieldProblems, type ActionItemDetailQuery, type ExtensionRequestRowFragment, type SessionUserFragment } from '@hindsight/web-data-access';
import { Alert, Badge, Button, formatDate, fromDateInputEndOfDay, TextAreaField, TextField } from '@hindsight/web-ui';
import { ChangeActionItemDueDate, ClaimActionItem, DecideDueDateExtension, RequestDueDateExtension } from './action-items.operations';

type Item = NonNullable<ActionItemDetailQuery['actionItem']>;

/**
 * The item itself needs no refetch: every answer returns the item's recomputed fields
 * (ActionItemLive) and a new request joins the item's list in the cache. Home's queue and the
 * nav's count are read again because the server decides them (the urgency order, which entries
 * remain, the reason each is there), which the client cannot work out from one item.
 */
export const ANSWER_REFETCH = ['MyWork', 'MyWorkCount'];

export function actorOf(user: SessionUserFragment): Actor {
  return { id: user.id, role: user.role, teamIds: user.teams.map((t) => t.id) };
}

/**
 * "Need more time": moves the due date when this person may (PRODUCT.md's rules, via
 * dueDateAnswer), otherwise asks the team's manager. Either way it needs a date and a reason.
 */
export function MoreTimeForm({ item, user, autoFocus = false, viaDelivery = null }: { item: Item; user: SessionUserFragment; autoFocus?: boolean; viaDelivery?: string | null }) {
  const answer = dueDateAnswer(actorOf(user), { priority: item.priority, ownerTeamId: item.ownerTeam.id, teamManagerId: item.ownerTeam.manager?.id ?? null });
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [change, changing] = useMutation(ChangeActionItemDueDate);
  const [request, requesting] = useMutation(RequestDueDateExtension);
  const error = answer === 'CHANGE' ? changing.error : requesting.error;
  const fields = fieldProblems(error);
  const at = (...names: string[]) => fields.find((f) => names.includes(f.field))?.message ?? null;
  if (!answer) return null;
  const manager = item.ownerTeam.manager?.name ?? `the ${item.ownerTeam.name} team's manager`;
  return (
    <form
      className="hs-card"
      aria-labelledby="more-time"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setDone(null);
        const iso = fromDateInputEndOfDay(until) ?? '';
        if (answer === 'CHANGE') {
          await change({ variables: { id: item.id, dueAt: iso, reason, viaDelivery }, refetchQueries: ANSWER_REFETCH }).then(() => setDone('Due date changed; reminders restart for the new date.'), () => undefined);
        } else {
          await request({
            variables: { actionItemId: item.id, until: iso, reason, viaDelivery },
            refetchQueries: ANSWER_REFETCH,
            update: (cache, { data }) => appendToList(cache, { __typename: 'ActionItem', id: item.id }, 'extensionRequests', data?.requestDueDateExtension),
          }).then(() => setDone(`Asked ${manager} for the new date. You will hear of the decision.`), () => undefined);
        }
      }}
    >
      <h3 id="more-time">Need more time</h3>
      <p className="hs-muted">
        {answer === 'CHANGE'
          ? 'You may move this due date yourself; the reason goes into its deadline history.'
          : `A ${item.priority} deadline moves with the team manager's agreement: this asks ${manager}.`}
      </p>
      {error && fields.length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
      <TextField label="New due date" type="date" value={until} onChange={(e) => setUntil(e.target.value)} error={at('until', 'dueAt')} required autoFocus={autoFocus} />
      <TextAreaField label="Why more time is needed" value={reason} onChange={(e) => setReason(e.target.value)} error={at('reason')} required rows={2} />
      <Button type="submit" busy={changing.loading || requesting.loading}>
        {answer === 'CHANGE' ? 'Change the due date' : 'Ask for more time'}
      </Button>
    </form>
  );
}

/** "I'll take it": one button, shown only to those who may claim an unassigned open item. */
export function ClaimButton({
  item,
  user,
  label = "I'll take it",
  viaDelivery = null,
}: {
  item: { id: string; title: string; ownerTeam: { id: string; manager?: { id: string } | null }; assignee?: { id: string } | null };
  user: SessionUserFragment;
  label?: string;
  viaDelivery?: string | null;
}) {
  const [claim, { loading, error }] = useMutation(ClaimActionItem);
  if (item.assignee || !canClaimActionItem(actorOf(user), { ownerTeamId: item.ownerTeam.id, teamManagerId: item.ownerTeam.manager?.id ?? null })) return null;
  return (
    <>
      <Button variant="secondary" busy={loading} aria-label={`${label}: ${item.title}`} onClick={() => void claim({ variables: { id: item.id, viaDelivery }, refetchQueries: ANSWER_REFETCH }).catch(() => undefined)}>
        {label}
      </Button>
      {error && <Alert>{errorMessage(error)}</Alert>}
    </>
  );
}

/** Approve or decline, with an optional note; never offered to the requester (the API refuses it too). */
export function ExtensionDecision({ request, itemTitle }: { request: ExtensionRequestRowFragment; itemTitle: string }) {
  const [note, setNote] = useState('');
  const [decide, { loading, error }] = useMutation(DecideDueDateExtension);
  const send = (approve: boolean) => void decide({ variables: { id: request.id, approve, note: note.trim() || null }, refetchQueries: ANSWER_REFETCH }).catch(() => undefined);
  const id = `decide-${request.id}`;
  return (
    <div className="hs-decision" role="group" aria-labelledby={id}>
      <p id={id}>
        <strong>{request.requestedBy.name}</strong> asks to move “{itemTitle}” from {formatDate(request.previousDueAt)} to <strong>{formatDate(request.until)}</strong>: {request.reason}
      </p>
      {error && <Alert>{errorMessage(error)}</Alert>}
      <TextField label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} />
      <Button busy={loading} onClick={() => send(true)} aria-label={`Approve the new date for ${itemTitle}`}>
        Approve
      </Button>{' '}
      <Button variant="secondary" busy={loading} onClick={() => send(false)} aria-label={`Decline the new date for ${itemTitle}`}>
        Decline
      </Button>
    </div>
  );
}

const STATUS_TONE = { PENDING: 'warning', APPROVED: 'ok', DECLINED: 'neutral' } as const;

/** The item's extension requests, newest first; the pending one decidable by its manager or an ADMIN. */
export function ExtensionRequestsSection({ item, user }: { item: Item; user: SessionUserFragment }) {
  if (item.extensionRequests.length === 0) return null;
  const mayDecide = (r: ExtensionRequestRowFragment) => r.requestedBy.id !== user.id && (user.role === 'ADMIN' || item.ownerTeam.manager?.id === user.id);
  return (
    <section className="hs-card" aria-labelledby="item-extensions" style={{ marginTop: 16 }}>
      <h2 id="item-extensions">Extension requests</h2>
      <ul className="hs-list">
        {item.extensionRequests.map((r) => (
          <li key={r.id}>
            {r.status === 'PENDING' && mayDecide(r) ? (
              <ExtensionDecision request={r} itemTitle={item.title} />
            ) : (
              <p>
                <Badge tone={STATUS_TONE[r.status]}>{r.status.toLowerCase()}</Badge> {r.requestedBy.name} asked for {formatDate(r.until)}: {r.reason}
                {r.decidedBy ? ` — ${r.status === 'APPROVED' ? 'approved' : 'declined'} by ${r.decidedBy.name}${r.note ? `: ${r.note}` : ''}` : ' — waiting for the team manager'}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
