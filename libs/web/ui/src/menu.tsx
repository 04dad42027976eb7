import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuItem {
  key: string;
  label: ReactNode;
  onSelect: () => void;
  /** A checked choice (menuitemradio), for pickers. */
  checked?: boolean;
  disabled?: boolean;
}

export interface MenuProps {
  /** The button's content. */
  label: ReactNode;
  /** The button's accessible name when its content is not enough (e.g. "Priority: P1, change"). */
  ariaLabel?: string;
  items: readonly MenuItem[];
  align?: 'start' | 'end';
  buttonClassName?: string;
  disabled?: boolean;
  /** Items are choices of one value (role menuitemradio). */
  radio?: boolean;
  testId?: string;
}

/**
 * A menu button (WAI-ARIA menu pattern): Enter, Space or ↓ opens it on the first (or checked)
 * item, ↑/↓/Home/End move, Escape or Tab closes it and focus goes back to the button.
 */
export function Menu({ label, ariaLabel, items, align = 'start', buttonClassName = 'hs-button hs-button--secondary', disabled, radio, testId }: MenuProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const focusIndex = useRef(0);

  useEffect(() => {
    if (!open) return;
    const entries = list.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]');
    entries?.[focusIndex.current]?.focus();
    const onDown = (e: MouseEvent) => {
      if (!list.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const openAt = (index: number) => {
    focusIndex.current = index;
    setOpen(true);
  };
  const checkedIndex = Math.max(0, items.findIndex((i) => i.checked));
  const close = (refocus = true) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onListKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const entries = [...(list.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      e.preventDefault();
      entries[(to + entries.length) % entries.length]?.focus();
    };
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(entries.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Tab') close(false);
  };

  return (
    <div className="hs-menu">
      <button
        ref={button}
        type="button"
        className={buttonClassName}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={ariaLabel}
        data-testid={testId}
        disabled={disabled}
        onClick={() => (open ? close() : openAt(radio ? checkedIndex : 0))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            openAt(e.key === 'ArrowDown' ? (radio ? checkedIndex : 0) : items.length - 1);
          }
        }}
      >
        {label}
      </button>
      {open && (
        <ul ref={list} id={id} role="menu" className={`hs-menu__list${align === 'end' ? ' hs-menu__list--end' : ''}`} onKeyDown={onListKey}>
          {items.map((item) => (
            <li key={item.key} role="none">
              <button
                type="button"
                role={radio ? 'menuitemradio' : 'menuitem'}
                aria-checked={radio ? !!item.checked : undefined}
                className="hs-menu__item"
                disabled={item.disabled}
                tabIndex={-1}
                onClick={() => {
                  close();
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
