import { useEffect, useId, useState, type ReactNode } from 'react';
import { PageHeader } from './page-header';

/** A page: its one h1 (with description and actions), then the content; `side` adds a side panel. */
export function Page({ title, description, actions, side, sideLabel, wide, children }: { title: string; description?: string; actions?: ReactNode; side?: ReactNode; sideLabel?: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={wide ? 'hs-wide' : undefined}>
      <PageHeader title={title} description={description} actions={actions} />
      {side ? (
        <div className="hs-layout">
          <div className="hs-stack">{children}</div>
          <SidePanel label={sideLabel ?? 'Details'}>{side}</SidePanel>
        </div>
      ) : (
        <div className="hs-stack">{children}</div>
      )}
    </div>
  );
}

/** The column beside a document (properties, links); below 900 px it follows the content. */
export function SidePanel({ label, children }: { label: string; children: ReactNode }) {
  return (
    <aside className="hs-layout__side" aria-label={label}>
      {children}
    </aside>
  );
}

export interface HeaderBarProps {
  brand: ReactNode;
  /** The main navigation's entries (links). */
  nav: ReactNode;
  /** Search, the person, sign-out: the right end of the bar. */
  end: ReactNode;
  /** Changes on every navigation (the path): the phone menu closes when it does. */
  locationKey: string;
}

/**
 * The application header: one row on a desktop; below 1200 px (tablets, phones) the navigation
 * and the person's menu fold behind a "Menu" button, so the bar stays one 56 px row.
 */
export function HeaderBar({ brand, nav, end, locationKey }: HeaderBarProps) {
  const [open, setOpen] = useState(false);
  const [seenKey, setSeenKey] = useState(locationKey);
  const menuId = useId();
  if (seenKey !== locationKey) {
    // Navigating closes the phone menu (state adjusted during render, not in an effect).
    setSeenKey(locationKey);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  return (
    <header className="hs-bar">
      {brand}
      <button type="button" className="hs-bar__toggle" aria-expanded={open} aria-controls={menuId} onClick={() => setOpen((o) => !o)}>
        {open ? 'Close menu' : 'Menu'}
      </button>
      <div id={menuId} className={`hs-bar__menu${open ? ' is-open' : ''}`}>
        <nav aria-label="Main" className="hs-bar__nav">
          {nav}
        </nav>
        <div className="hs-bar__end">{end}</div>
      </div>
    </header>
  );
}
