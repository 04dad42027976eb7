import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Button } from './button';

export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom, right-aligned. */
  actions?: ReactNode;
  testId?: string;
}

/**
 * A modal dialog on the browser's <dialog>: focus moves into it (the first focusable element, or
 * one marked data-autofocus), Tab stays inside, Escape closes it, and focus returns to what opened it.
 */
export function Dialog({ open, title, onClose, children, actions, testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // showModal focuses the first focusable element; a part marked data-autofocus takes it instead.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const onCancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [open]);

  if (!open) return null;
  return (
    <dialog ref={ref} className="hs-dialog" aria-labelledby={titleId} data-testid={testId}>
      <div className="hs-dialog__body">
        <h2 id={titleId}>{title}</h2>
        {children}
        {actions && <div className="hs-dialog__actions">{actions}</div>}
      </div>
    </dialog>
  );
}

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** Destructive actions get the danger button; focus starts on Cancel so Enter does not destroy. */
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** "Are you sure?" with the consequence in words; the safe choice has the focus. */
export function ConfirmDialog({ open, title, children, confirmLabel, cancelLabel = 'Cancel', danger, busy, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onCancel}
      actions={
        <>
          {/* The safe choice takes the focus when a destructive confirmation opens. */}
          <Button variant="secondary" onClick={onCancel} data-autofocus={danger ? true : undefined}>
            {cancelLabel}
          </Button>
          <Button variant={danger ? 'danger' : 'primary'} onClick={onConfirm} busy={busy} data-autofocus={danger ? undefined : true}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}

export interface ConfirmInPlaceProps {
  /** The button that asks. */
  label: ReactNode;
  /** The consequence in words, announced when the question opens. */
  question?: ReactNode;
  confirmLabel: ReactNode;
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
}

/**
 * A destructive step asked once more where it was clicked (no modal): the button becomes the
 * question, the confirming button and a way back, so a stray click never removes anything.
 */
export function ConfirmInPlace({ label, question, confirmLabel, cancelLabel = 'Keep it', danger, busy, onConfirm }: ConfirmInPlaceProps) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button variant="secondary" onClick={() => setConfirming(true)}>
        {label}
      </Button>
    );
  }
  return (
    <>
      {question && <span role="status">{question}</span>}
      <Button variant={danger ? 'danger' : 'primary'} busy={busy} onClick={onConfirm}>
        {confirmLabel}
      </Button>
      <Button variant="secondary" onClick={() => setConfirming(false)}>
        {cancelLabel}
      </Button>
    </>
  );
}
