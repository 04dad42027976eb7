import './search.css';
import { useQuery } from '@apollo/client/react';
import { KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '@hindsight/web-data-access';
import { SEARCH_QUERY_MAX_CHARS, searchTerms } from '@hindsight/domain';
import { GlobalSearch } from './search.operations';
import { grouped, PalettePage, paletteEntries } from './search.view';

/** Long enough that typing a word sends one request, short enough to feel immediate. */
const DEBOUNCE_MS = 150;
const RESULTS = 20;

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/**
 * The palette itself: a modal dialog (the browser keeps focus inside it, Escape closes it and
 * focus returns to where it was), a combobox and a listbox grouped by kind. Focus stays in the
 * box; the arrow keys move the active option (aria-activedescendant), Enter opens it.
 */
export function SearchDialog({ pages, onClose }: { pages: readonly PalettePage[]; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const id = useId();
  const debounced = useDebounced(query.trim(), DEBOUNCE_MS);
  const searchable = searchTerms(debounced).length > 0;
  const { data, previousData, loading, error } = useQuery(GlobalSearch, { variables: { query: debounced, first: RESULTS }, skip: !searchable });
  const found = (data ?? previousData)?.search;
  const entries = useMemo(() => paletteEntries(query, pages, searchable ? (found ?? []) : []), [query, pages, searchable, found]);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (!d.open) d.showModal();
    // A click on the backdrop lands on the dialog itself: it closes, like Escape.
    const onBackdrop = (e: MouseEvent) => e.target === d && onClose();
    d.addEventListener('click', onBackdrop);
    return () => {
      d.removeEventListener('click', onBackdrop);
      d.close();
    };
  }, [onClose]);
  useEffect(() => setActive(0), [debounced]);

  const open = (index: number) => {
    const entry = entries[index];
    if (!entry) return;
    onClose();
    navigate(entry.url);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (entries.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + entries.length) % entries.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      open(active);
    }
  };

  const listId = `${id}-results`;
  const optionId = (index: number) => `${id}-option-${index}`;
  const typed = query.trim() !== '';
  return (
    <dialog ref={dialog} className="hs-search" aria-label="Search" onClose={onClose}>
      <div className="hs-search__box">
        <input
          className="hs-search__input"
          // Not type="search": there Escape first clears the text; here it closes the palette.
          type="text"
          role="combobox"
          aria-label="Search incidents, postmortems, action items, runbooks and services"
          aria-expanded={entries.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={entries.length > 0 ? optionId(Math.min(active, entries.length - 1)) : undefined}
          placeholder="Search incidents, postmortems, action items, runbooks, services…"
          maxLength={SEARCH_QUERY_MAX_CHARS}
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div id={listId} role="listbox" aria-label="Results" className="hs-search__results">
          {grouped(entries).map((g) => (
            <div key={g.group} role="group" aria-label={g.group}>
              <div className="hs-search__group" aria-hidden="true">
                {g.group}
              </div>
              {g.entries.map(({ entry, index }) => (
                // The combobox pattern: keys stay on the input (aria-activedescendant); a click picks directly.
                // eslint-disable-next-line jsx-a11y/click-events-have-key-events
                <div
                  key={entry.key}
                  id={optionId(index)}
                  role="option"
                  tabIndex={-1}
                  aria-selected={index === active}
                  className="hs-search__option"
                  onMouseMove={() => setActive(index)}
                  onClick={() => open(index)}
                >
                  <span className="hs-search__title">{entry.title}</span>
                  {entry.detail && <span className="hs-search__detail">{entry.detail}</span>}
                </div>
              ))}
            </div>
          ))}
        </div>
        <p className="hs-search__status" role="status">
          {error ? errorMessage(error) : !typed ? 'Type to search. ↑ ↓ to move, Enter to open, Esc to close.' : loading && entries.length === 0 ? 'Searching…' : searchable && !loading && entries.length === 0 ? `Nothing found for “${query.trim()}”.` : `${entries.length} found`}
        </p>
      </div>
    </dialog>
  );
}
