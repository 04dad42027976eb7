import { useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';

export interface Column<T> {
  /** Stable key; also the sort key's name. */
  key: string;
  header: ReactNode;
  /** The header as plain words, for the phone's card layout (defaults to `header` when it is a string). */
  label?: string;
  render: (row: T) => ReactNode;
  /** Makes the column sortable by this value (numbers, strings or dates as ISO/ms). */
  sortValue?: (row: T) => string | number | null | undefined;
  align?: 'start' | 'end';
  /** A row header cell (th scope="row"), e.g. the item's title. */
  rowHeader?: boolean;
  className?: string;
}

export interface TableProps<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** The table's name for assistive technology (a visible caption or an aria-label). */
  caption?: ReactNode;
  label?: string;
  captionHidden?: boolean;
  rowClassName?: (row: T) => string | undefined;
  /** data-* attributes of a row (e.g. data-urgency), for styling hooks and tests. */
  rowData?: (row: T) => Record<`data-${string}`, string>;
  /** Initial sort; the reader can change it by clicking a sortable header. */
  initialSort?: { key: string; direction: 'asc' | 'desc' };
  /** Stack each row as a card below 640 px (default); figure tables keep scrolling instead. */
  cards?: boolean;
  /** Figures: compact cells, no wrapping. */
  figures?: boolean;
  /** Scroll inside a box of this height (the header stays put). */
  maxHeight?: string;
  empty?: ReactNode;
  testId?: string;
}

type Dir = 'asc' | 'desc';

function compare(a: string | number | null | undefined, b: string | number | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/** Sorts rows by a column's sortValue; missing values last whatever the direction. */
export function sortRows<T>(rows: readonly T[], column: Pick<Column<T>, 'sortValue'> | undefined, direction: Dir): T[] {
  if (!column?.sortValue) return [...rows];
  const value = column.sortValue;
  return rows
    .map((row, index) => ({ row, index, v: value(row) }))
    .sort((x, y) => {
      if (x.v === null || x.v === undefined || y.v === null || y.v === undefined) return compare(x.v, y.v) || x.index - y.index;
      const c = compare(x.v, y.v);
      return (direction === 'asc' ? c : -c) || x.index - y.index;
    })
    .map((e) => e.row);
}

/**
 * The app's table: sortable headers (aria-sort), a sticky header, scrolling inside its own box
 * so a page is never wider than the window, and each row a card on a phone.
 */
export function Table<T>({ columns, rows, rowKey, caption, label, captionHidden, rowClassName, rowData, initialSort, cards = true, figures, maxHeight, empty, testId }: TableProps<T>) {
  const box = useRef<HTMLDivElement>(null);
  const scrolls = useScrolls(box);
  const [sort, setSort] = useState<{ key: string; direction: Dir } | null>(initialSort ?? null);
  const sorted = useMemo(() => (sort ? sortRows(rows, columns.find((c) => c.key === sort.key), sort.direction) : rows), [rows, columns, sort]);
  const toggle = (key: string) => setSort((s) => (s?.key === key ? { key, direction: s.direction === 'asc' ? 'desc' : 'asc' } : { key, direction: 'asc' }));
  const classes = ['hs-table', cards ? 'hs-table--cards' : '', figures ? 'hs-table--figures' : ''].filter(Boolean).join(' ');
  if (rows.length === 0 && empty) return <>{empty}</>;
  return (
    // When the table is wider (or taller) than its box, the box becomes a focusable, named region so a
    // keyboard user can scroll it (axe: scrollable-region-focusable); otherwise it is just a box.
    <div
      ref={box}
      className="hs-table-scroll"
      style={maxHeight ? { maxHeight } : undefined}
      data-testid={testId}
      {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': `${label ?? (typeof caption === 'string' ? caption : 'Table')} (scrolls)` } : {})}
    >
      <table className={classes} aria-label={caption ? undefined : label}>
        {caption && <caption className={captionHidden ? 'hs-visually-hidden' : undefined}>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : c.sortValue ? 'none' : undefined;
              return (
                <th key={c.key} scope="col" aria-sort={ariaSort} className={[c.align === 'end' ? 'hs-num' : '', c.className ?? ''].filter(Boolean).join(' ') || undefined}>
                  {c.sortValue ? (
                    <button type="button" className="hs-sort" onClick={() => toggle(c.key)}>
                      {c.header}
                      <span className="hs-sort__icon" aria-hidden="true">
                        {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={rowKey(row)} className={rowClassName?.(row)} {...rowData?.(row)}>
              {columns.map((c) => {
                const cellLabel = c.label ?? (typeof c.header === 'string' ? c.header : '');
                const className = [c.align === 'end' ? 'hs-num' : '', c.className ?? ''].filter(Boolean).join(' ') || undefined;
                return c.rowHeader ? (
                  <th key={c.key} scope="row" data-label={cellLabel} className={className}>
                    {c.render(row)}
                  </th>
                ) : (
                  <td key={c.key} data-label={cellLabel} className={className}>
                    {c.render(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Whether the element's content overflows it (re-checked when it resizes). */
function useScrolls(ref: RefObject<HTMLElement | null>): boolean {
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const check = () => setScrolls(el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
    // No check now: reading the sizes here forces a layout of the whole table before the first
    // paint (bench:web saw up to 0.4 s on a long list at 4× CPU); the observer's first report
    // comes right after the browser's own layout.
    const observer = new ResizeObserver(check);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, [ref]);
  return scrolls;
}
