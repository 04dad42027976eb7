import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation } from '@apollo/client/react';
import { needsVerification } from '@hindsight/domain';
import { errorMessage, fieldProblems, type ActionItemDetailQuery } from '@hindsight/web-data-access';
import { Alert, Button, fromDateInputEndOfDay, TextAreaField, TextField } from '@hindsight/web-ui';
import { CompleteActionItem, SnoozeActionItem } from './action-items.operations';

type Item = NonNullable<ActionItemDetailQuery['actionItem']>;

function useProblems(error: unknown) {
  const fields = fieldProblems(error);
  const at = (...names: string[]) => fields.find((f) => names.includes(f.field))?.message ?? null;
  return { fields, at };
}

function FormCard({ title, onSubmit, children, error, done }: { title: string; onSubmit: (e: FormEvent) => void; children: ReactNode; error: unknown; done: string | null }) {
  const headingId = `form-${title.replace(/\W+/g, '-').toLowerCase()}`;
  const fields = fieldProblems(error);
  return (
    <form className="hs-card" aria-labelledby={headingId} onSubmit={onSubmit} noValidate>
      <h3 id={headingId}>{title}</h3>
      {error !== undefined && error !== null && fields.length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
      {children}
    </form>
  );
}

/** `viaDelivery`: the reminder's delivery id when the form was opened from a nudge link (kept in the audit log). */
export function CompleteForm({ item, viaDelivery = null, onDone }: { item: Item; viaDelivery?: string | null; onDone?: () => void }) {
  const [note, setNote] = useState('');
  const [verification, setVerification] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [complete, { loading, error }] = useMutation(CompleteActionItem);
  const { at } = useProblems(error);
  const verify = needsVerification(item.priority);
  return (
    <FormCard
      title="Mark as done"
      error={error}
      done={done}
      onSubmit={async (e) => {
        e.preventDefault();
        setDone(null);
        await complete({ variables: { id: item.id, note, verification: verification || null, viaDelivery } }).then(() => (onDone ? onDone() : setDone('Marked as done.')), () => undefined);
      }}
    >
      <TextAreaField label="Completion note" hint="What was done, with links to the change." value={note} onChange={(e) => setNote(e.target.value)} error={at('note')} required rows={3} />
      <TextAreaField
        label={verify ? 'Verification (required for P0 and P1)' : 'Verification (optional)'}
        hint="How we know it works: a test, a game day, a dashboard."
        value={verification}
        onChange={(e) => setVerification(e.target.value)}
        error={at('verification')}
        required={verify}
        rows={2}
      />
      <Button type="submit" busy={loading}>
        Mark as done
      </Button>
    </FormCard>
  );
}

export function SnoozeForm({ item, viaDelivery = null, onDone }: { item: Item; viaDelivery?: string | null; onDone?: () => void }) {
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [snooze, { loading, error }] = useMutation(SnoozeActionItem);
  const { at } = useProblems(error);
  const restricted = item.priority === 'P0' || item.priority === 'P1';
  return (
    <FormCard
      title="Snooze reminders"
      error={error}
      done={done}
      onSubmit={async (e) => {
        e.preventDefault();
        setDone(null);
        const iso = fromDateInputEndOfDay(until);
        await snooze({ variables: { id: item.id, until: iso ?? '', reason, viaDelivery } }).then(() => (onDone ? onDone() : setDone('Reminders paused.')), () => undefined);
      }}
    >
      <p className="hs-muted">
        Pauses reminders for at most 14 days.{restricted ? ` A ${item.priority} item can be snoozed only by its team's manager or an administrator.` : ''}
      </p>
      <TextField label="Snooze until" type="date" value={until} onChange={(e) => setUntil(e.target.value)} error={at('until')} required />
      <TextAreaField label="Reason for snoozing" value={reason} onChange={(e) => setReason(e.target.value)} error={at('reason')} required rows={2} />
      <Button type="submit" busy={loading}>
        Snooze
      </Button>
    </FormCard>
  );
}

/**
 * One property of the item, editable where it is shown (issue 23): its value, and for those
 * who may change it a Change button that opens that property's form in place; a save or
 * Cancel puts the value back. One place per property, not a wall of forms.
 */
export function EditableProperty({ name, value, editable, children }: { name: string; value: ReactNode; editable: boolean; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <dt>{name}</dt>
      <dd data-property={name}>
        {value}
        {editable && !open && ' '}
        {editable && !open && (
          <Button variant="secondary" className="hs-button--small hs-no-print" aria-label={`Change ${name.toLowerCase()}`} onClick={() => setOpen(true)}>
            Change
          </Button>
        )}
        {open && (
          // Escape anywhere in the open form closes it: a key handler on the group, not a control.
          // eslint-disable-next-line jsx-a11y/no-static-element-interactions
          <div className="hs-inline-edit" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
            {children(() => setOpen(false))}
            <Button variant="secondary" className="hs-button--small" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </div>
        )}
      </dd>
    </>
  );
}
