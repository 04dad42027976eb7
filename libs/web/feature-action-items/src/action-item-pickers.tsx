import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { canEditActionItem, dueDateAnswer, type Actor } from '@hindsight/domain';
import { errorMessage, useSession, type ActionStatus, type Priority, type SessionUserFragment, type UpdateActionItemInput } from '@hindsight/web-data-access';
import { Button, Dialog, DueDatePicker, formatDate, LABELS, OwnerPicker, PickerCancelled, PriorityPicker, PropertyPicker, TeamPicker, TextAreaField, unassignedLabel } from '@hindsight/web-ui';
import { ActionItemTeams, ChangeActionItemDueDate, UpdateActionItem } from './action-items.operations';
import { OPEN_STATUSES } from './action-item.view';

/** What the pickers need of an item: the fields of a list row. */
export interface PickableItem {
  id: string;
  title: string;
  status: ActionStatus;
  priority: Priority;
  dueAt: string;
  ownerTeam: { id: string; name: string; manager?: { id: string; name: string } | null; members?: readonly { id: string; name: string }[] };
  assignee?: { id: string; name: string } | null;
  previousAssignee?: { name: string } | null;
}

export function actorOf(user: SessionUserFragment | null | undefined): Actor | null {
  return user ? { id: user.id, role: user.role, teamIds: user.teams.map((t) => t.id) } : null;
}

/** Whether this person may change the item at all (the API's rule, PRODUCT.md 4): otherwise plain values. */
export function mayEditItem(user: SessionUserFragment | null | undefined, item: Pick<PickableItem, 'ownerTeam'>): boolean {
  const actor = actorOf(user);
  return !!actor && canEditActionItem(actor, item.ownerTeam.id);
}

interface ReasonRequest {
  title: string;
  label: string;
  hint?: string;
  confirm: string;
}

/**
 * A reason the API requires (a moved deadline, "won't do"), asked in a small dialog after the
 * picker's choice: the promise gives the reason, or rejects with PickerCancelled on Cancel, and
 * the picker then quietly shows the old value again.
 */
export function useReasonPrompt(): [(request: ReasonRequest) => Promise<string>, ReactNode] {
  const [asking, setAsking] = useState<(ReasonRequest & { resolve: (reason: string) => void; reject: (e: Error) => void }) | null>(null);
  const [reason, setReason] = useState('');
  const ask = (request: ReasonRequest) =>
    new Promise<string>((resolve, reject) => {
      setReason('');
      setAsking({ ...request, resolve, reject });
    });
  const cancel = () => {
    asking?.reject(new PickerCancelled());
    setAsking(null);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!asking || !reason.trim()) return;
    asking.resolve(reason.trim());
    setAsking(null);
  };
  const element = asking ? (
    <Dialog open title={asking.title} onClose={cancel}>
      <form onSubmit={submit} aria-label={asking.title} noValidate>
        <TextAreaField label={asking.label} hint={asking.hint} value={reason} onChange={(e) => setReason(e.target.value)} rows={2} required data-autofocus />
        <div className="hs-dialog__actions">
          <Button variant="secondary" onClick={cancel}>
            Cancel
          </Button>
          <Button type="submit" disabled={!reason.trim()}>
            {asking.confirm}
          </Button>
        </div>
      </form>
    </Dialog>
  ) : null;
  return [ask, element];
}

/** The API's refusal in words, for the picker's toast. */
function asWords(e: unknown): never {
  if (e instanceof PickerCancelled) throw e;
  throw new Error(errorMessage(e));
}

/**
 * The item's mutations for the pickers. Each returns the fields the server recomputes
 * (ActionItemLive), so the normalised cache updates every list and page showing the item: one
 * request per change, no refetch.
 */
function useItemMutations() {
  const [update] = useMutation(UpdateActionItem);
  const [move] = useMutation(ChangeActionItemDueDate);
  return {
    update: (id: string, input: UpdateActionItemInput, reason: string | null = null) => update({ variables: { id, input, reason } }).catch(asWords),
    move: (id: string, dueAt: string, reason: string) => move({ variables: { id, dueAt, reason } }).catch(asWords),
  };
}

type Ask = (request: ReasonRequest) => Promise<string>;

/** Open ↔ In progress ↔ Blocked in one click; "Won't do" asks why; Done goes through "Mark as done" (a note, a verification). */
export function ActionStatusPicker({ item, ask }: { item: PickableItem; ask: Ask }) {
  const { update } = useItemMutations();
  const statuses: ActionStatus[] = item.status === 'DONE' ? ['DONE', ...OPEN_STATUSES] : [...OPEN_STATUSES, 'WONT_DO'];
  return (
    <PropertyPicker
      label="Status"
      value={item.status}
      options={statuses.map((s) => ({ value: s, label: LABELS.ActionStatus[s] }))}
      onChange={async (status) => {
        if (status === 'DONE') throw new PickerCancelled();
        const reason = status === 'WONT_DO' ? await ask({ title: `Won't do “${item.title}”`, label: "Why we won't do it", hint: 'Kept with the item; it stays listed as closed.', confirm: "Close as won't do" }) : null;
        await update(item.id, { status }, reason);
      }}
    />
  );
}

export function ActionPriorityPicker({ item }: { item: PickableItem }) {
  const { update } = useItemMutations();
  return <PriorityPicker value={item.priority} onChange={(priority) => update(item.id, { priority })} />;
}

/**
 * The owning team with its people: the item's own where it was read with them (the item page),
 * else from the teams every picker of the page shares (a list row names only the team). Null
 * while those load.
 */
function useOwningTeam(item: PickableItem): PickableItem['ownerTeam'] | null {
  const known = item.ownerTeam.members !== undefined;
  const teams = useQuery(ActionItemTeams, { skip: known });
  if (known) return item.ownerTeam;
  return teams.data?.teams.find((t) => t.id === item.ownerTeam.id) ?? null;
}

/** The owning team's manager and members (the API assigns only within the team), and Unassigned. */
export function ActionOwnerPicker({ item }: { item: PickableItem }) {
  const { update } = useItemMutations();
  const team = useOwningTeam(item);
  const people = [...(team?.manager ? [team.manager] : []), ...(team?.members ?? []), ...(item.assignee ? [item.assignee] : [])].filter(
    (p, i, all) => all.findIndex((q) => q.id === p.id) === i,
  );
  return (
    <OwnerPicker
      label="Assignee"
      value={item.assignee?.id ?? ''}
      options={[{ value: '', label: unassignedLabel(item.previousAssignee) }, ...people.map((p) => ({ value: p.id, label: p.name }))]}
      onChange={(id) => update(item.id, { assigneeId: id || null })}
    />
  );
}

export function ActionTeamPicker({ item }: { item: PickableItem }) {
  const { update } = useItemMutations();
  const teams = useQuery(ActionItemTeams);
  const options = teams.data?.teams.map((t) => ({ value: t.id, label: t.name })) ?? [{ value: item.ownerTeam.id, label: item.ownerTeam.name }];
  return <TeamPicker value={item.ownerTeam.id} options={options} onChange={(ownerTeamId) => update(item.id, { ownerTeamId })} />;
}

/**
 * The deadline: the date in one click, then the reason the deadline history keeps. Undo moves
 * it back with a reason that says so. Only for those who may move it themselves (dueDateAnswer):
 * others see the date and ask through "Need more time".
 */
export function ActionDueDatePicker({ item, ask }: { item: PickableItem; ask: Ask }) {
  const { move } = useItemMutations();
  return (
    <DueDatePicker
      label="Due"
      value={item.dueAt}
      onChange={async (iso, { undo }) => {
        const reason = undo
          ? `Undone: back to ${formatDate(iso)}`
          : await ask({ title: `Move the deadline of “${item.title}” to ${formatDate(iso)}`, label: 'Why the deadline moves', hint: "Kept in the item's deadline history; reminders restart for the new date.", confirm: 'Move the deadline' });
        await move(item.id, iso, reason);
      }}
    />
  );
}

/**
 * The due date where items are listed: the picker for those who may move it themselves,
 * `plain` for everyone else and until the owning team's manager is known.
 */
export function ActionDueDateProperty({ item, ask, plain }: { item: PickableItem; ask: Ask; plain: ReactNode }) {
  const { user } = useSession();
  const team = useOwningTeam(item);
  return team && mayMoveDueDate(user, { priority: item.priority, ownerTeam: team }) ? <ActionDueDatePicker item={item} ask={ask} /> : <>{plain}</>;
}

export function mayMoveDueDate(user: SessionUserFragment | null | undefined, item: Pick<PickableItem, 'ownerTeam' | 'priority'>): boolean {
  const actor = actorOf(user);
  return !!actor && dueDateAnswer(actor, { priority: item.priority, ownerTeamId: item.ownerTeam.id, teamManagerId: item.ownerTeam.manager?.id ?? null }) === 'CHANGE';
}
