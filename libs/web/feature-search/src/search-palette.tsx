import './search-trigger.css';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { PalettePage } from './search.view';
import { isTypingTarget } from './search.view';

// The dialog and its query load on first use: the shell (the entry chunk) carries only this.
const SearchDialog = lazy(() => import('./search-dialog').then((m) => ({ default: m.SearchDialog })));

export interface SearchPaletteProps {
  /** The pages the person's navigation offers; the palette finds them by name too. */
  pages?: readonly PalettePage[];
}

/**
 * Global search: a button in the header, and "/" (outside a text field) or Ctrl-K / Cmd-K
 * (anywhere) from any page. Finds incidents, postmortems, action items, runbooks, services
 * and the person's pages; arrow keys and Enter open a hit.
 */
export function SearchPalette({ pages = [] }: SearchPaletteProps) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const chord = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target);
      if (!chord && !slash) return;
      e.preventDefault();
      setOpen(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <button type="button" className="hs-search-trigger" onClick={() => setOpen(true)} aria-haspopup="dialog" aria-keyshortcuts="/ Control+K Meta+K" aria-label="Search (/ or Ctrl-K)">
        Search <kbd aria-hidden="true">/</kbd>
      </button>
      {/* In the document's body, not beside the button: below 768 px the button sits in the
          header's folded menu, and a dialog inside a hidden menu is never shown ("/" did nothing). */}
      {open &&
        createPortal(
          <Suspense fallback={null}>
            <SearchDialog pages={pages} onClose={close} />
          </Suspense>,
          document.body,
        )}
    </>
  );
}
