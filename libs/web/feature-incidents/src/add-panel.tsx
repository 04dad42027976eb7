import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '@hindsight/web-ui';

function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * A one-letter shortcut (Linear's habit) while nobody is typing and no dialog is open:
 * "e" adds an event, "f" a factor … The letter is shown on the button it stands for.
 */
export function useShortcut(key: string, onPress: () => void, enabled = true): void {
  const latest = useRef(onPress);
  useEffect(() => {
    latest.current = onPress;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey || e.key !== key || isTypingTarget(e.target)) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"], dialog[open]')) return;
      e.preventDefault();
      latest.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [key, enabled]);
}

/**
 * An add-form that appears only when asked for: a button ("Add event", shortcut shown),
 * then the form with the focus on its first field; Escape or Close puts the button back.
 * The form stays open after a save, so several entries go in one after another.
 */
export function AddPanel({ label, shortcut, children }: { label: string; shortcut: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useShortcut(shortcut, () => {
    if (open) panel.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    else setOpen(true);
  });
  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>('input:not([type="checkbox"]), select, textarea')?.focus();
    else if (wasOpen.current) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const close = () => setOpen(false);
  if (!open) {
    return (
      <div className="hs-add-panel">
        <Button ref={button} variant="secondary" aria-keyshortcuts={shortcut} title={`${label} (shortcut: ${shortcut})`} onClick={() => setOpen(true)}>
          {label} <kbd aria-hidden="true">{shortcut}</kbd>
        </Button>
      </div>
    );
  }
  return (
    // Escape anywhere in the open form closes it: a key handler on the group, not a control.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div
      ref={panel}
      className="hs-add-panel is-open"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          close();
        }
      }}
    >
      {children(close)}
      <Button variant="secondary" className="hs-button--small" onClick={close}>
        Close
      </Button>
    </div>
  );
}
