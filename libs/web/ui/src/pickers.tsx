import { useRef, useState, type ReactNode } from 'react';
import { ACTION_STATUSES, PRIORITIES } from '@hindsight/domain';
import { formatDate, formatDue, fromDateInputEndOfDay, toDateInput } from './format';
import { LABELS, labelOf } from './labels';
import { Menu } from './menu';
import { useToast } from './toast';

export interface PickerOption<V extends string> {
  value: V;
  label: string;
}

/** What a picker's save is told: `undo` when it puts back the value a toast's Undo restores. */
export interface PickerChange {
  undo: boolean;
}

/**
 * Thrown (or rejected with) by an `onChange` that asked for more (a reason) and was cancelled:
 * the old value comes back without an error toast.
 */
export class PickerCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'PickerCancelled';
  }
}

export interface PropertyPickerProps<V extends string> {
  /** The property's name: "Status", "Owner"… (the button reads "Status: Open"). */
  label: string;
  value: V | null;
  options: readonly PickerOption<V>[];
  /** Saves the choice; a rejection puts the old value back and says why (silently for PickerCancelled). */
  onChange: (value: V, change: PickerChange) => Promise<unknown>;
  /** Shown for a null value ("Unassigned", "No team"). */
  emptyLabel?: string;
  renderValue?: (value: V | null, label: string) => ReactNode;
  disabled?: boolean;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : 'the server refused it';
}

/**
 * An inline property (Linear's and incident.io's pickers): one click opens the choices, the
 * chosen value shows at once (optimistic), a toast offers Undo, and a refusal puts it back.
 */
export function PropertyPicker<V extends string>({ label, value, options, onChange, emptyLabel = 'None', renderValue, disabled }: PropertyPickerProps<V>) {
  const [pending, setPending] = useState<{ value: V } | null>(null);
  const toast = useToast();
  const shown = pending ? pending.value : value;
  const shownLabel = shown === null ? emptyLabel : (options.find((o) => o.value === shown)?.label ?? shown);

  const commit = async (next: V, previous: V | null, undoable: boolean) => {
    setPending({ value: next });
    try {
      await onChange(next, { undo: !undoable });
      setPending(null);
      const nextLabel = options.find((o) => o.value === next)?.label ?? next;
      toast(`${label}: ${nextLabel}`, undoable && previous !== null ? { action: { label: 'Undo', onAction: () => void commit(previous, next, false) } } : {});
    } catch (e) {
      setPending(null);
      if (!(e instanceof PickerCancelled)) toast(`Could not change ${label.toLowerCase()}: ${errorMessage(e)}`, { tone: 'error' });
    }
  };

  return (
    <Menu
      radio
      disabled={disabled}
      buttonClassName="hs-picker__button"
      ariaLabel={`${label}: ${shownLabel}${disabled ? '' : ', change'}`}
      label={renderValue ? renderValue(shown, shownLabel) : shownLabel}
      items={options.map((o) => ({
        key: o.value,
        label: o.label,
        checked: o.value === shown,
        onSelect: () => {
          if (o.value !== shown) void commit(o.value, value, true);
        },
      }))}
    />
  );
}

type Fixed<V extends string> = Omit<PropertyPickerProps<V>, 'options' | 'label'> & { label?: string };

export function StatusPicker(props: Fixed<(typeof ACTION_STATUSES)[number]>) {
  return <PropertyPicker label="Status" {...props} options={ACTION_STATUSES.map((v) => ({ value: v, label: LABELS.ActionStatus[v] }))} />;
}

export function PriorityPicker(props: Fixed<(typeof PRIORITIES)[number]>) {
  return <PropertyPicker label="Priority" {...props} options={PRIORITIES.map((v) => ({ value: v, label: labelOf('Priority', v) }))} />;
}

/** People (owner) or teams: the options come from the page's data. */
export function OwnerPicker(props: Fixed<string> & { options: readonly PickerOption<string>[] }) {
  return <PropertyPicker label="Owner" emptyLabel="Unassigned" {...props} />;
}

export function TeamPicker(props: Fixed<string> & { options: readonly PickerOption<string>[] }) {
  return <PropertyPicker label="Team" emptyLabel="No team" {...props} />;
}

/** A due date shown as "12 Dec 2026 · in 5 days"; one click turns it into a date field, Escape cancels. */
export function DueDatePicker({ value, onChange, disabled, label = 'Due date' }: { value: string | null; onChange: (iso: string, change: PickerChange) => Promise<unknown>; disabled?: boolean; label?: string }) {
  const [editing, setEditing] = useState(false);
  const [pending, setPending] = useState<string | null>(null);
  // Enter saved or Escape cancelled: the blur that follows (the field leaves, a dialog takes focus) must not save.
  const saved = useRef(false);
  const toast = useToast();
  const shown = pending ?? value;
  const commit = async (iso: string, previous: string | null, undoable: boolean) => {
    saved.current = true;
    setEditing(false);
    setPending(iso);
    try {
      await onChange(iso, { undo: !undoable });
      setPending(null);
      toast(`${label}: ${formatDate(iso)}`, undoable && previous ? { action: { label: 'Undo', onAction: () => void commit(previous, iso, false) } } : {});
    } catch (e) {
      setPending(null);
      if (!(e instanceof PickerCancelled)) toast(`Could not change ${label.toLowerCase()}: ${errorMessage(e)}`, { tone: 'error' });
    }
  };
  const text = shown ? `${formatDate(shown)} · ${formatDue(shown)}` : 'No due date';
  if (editing) {
    return (
      <input
        type="date"
        className="hs-picker__date"
        aria-label={label}
        defaultValue={toDateInput(shown)}
        // eslint-disable-next-line jsx-a11y/no-autofocus -- the field replaces the button that was just clicked
        autoFocus
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            saved.current = true;
            setEditing(false);
          }
          if (e.key === 'Enter') {
            const iso = fromDateInputEndOfDay(e.currentTarget.value);
            if (iso) void commit(iso, value, true);
          }
        }}
        onBlur={(e) => {
          if (saved.current) return;
          const iso = fromDateInputEndOfDay(e.currentTarget.value);
          if (iso && toDateInput(iso) !== toDateInput(value)) void commit(iso, value, true);
          else setEditing(false);
        }}
      />
    );
  }
  return (
    // The accessible name holds the visible words (axe: label-content-name-mismatch).
    <button
      type="button"
      className="hs-picker__button"
      disabled={disabled}
      aria-label={`${label}: ${text}${disabled ? '' : ', change'}`}
      onClick={() => {
        saved.current = false;
        setEditing(true);
      }}
    >
      {text}
    </button>
  );
}
