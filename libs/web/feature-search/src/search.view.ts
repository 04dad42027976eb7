import { SEARCH_KINDS, SearchKind } from '@hindsight/domain';

/** A place in the palette: a hit from the API, or a page of the app the person may open. */
export interface PaletteEntry {
  key: string;
  group: string;
  title: string;
  detail: string | null;
  url: string;
}

export interface PalettePage {
  to: string;
  label: string;
}

export const KIND_LABEL: Record<SearchKind, string> = {
  INCIDENT: 'Incidents',
  POSTMORTEM: 'Postmortems',
  ACTION_ITEM: 'Action items',
  RUNBOOK: 'Runbooks',
  SERVICE: 'Services',
};

const PAGES_GROUP = 'Pages';

/**
 * The palette's list: the pages whose name matches what was typed (only those the person's
 * navigation offers), then the hits grouped by kind in a fixed order, keeping the API's
 * order within a kind (best first).
 */
export function paletteEntries(query: string, pages: readonly PalettePage[], hits: readonly { kind: string; id: string; title: string; url: string; snippet?: string | null }[]): PaletteEntry[] {
  const q = query.trim().toLowerCase();
  const pageEntries: PaletteEntry[] = q
    ? pages.filter((p) => p.label.toLowerCase().includes(q)).map((p) => ({ key: `page:${p.to}`, group: PAGES_GROUP, title: p.label, detail: null, url: p.to }))
    : [];
  const order = (kind: string) => {
    const i = (SEARCH_KINDS as readonly string[]).indexOf(kind);
    return i < 0 ? SEARCH_KINDS.length : i;
  };
  const hitEntries = [...hits]
    .map((h, i) => ({ h, i }))
    .sort((a, b) => order(a.h.kind) - order(b.h.kind) || a.i - b.i)
    .map(({ h }) => ({ key: `${h.kind}:${h.id}`, group: KIND_LABEL[h.kind as SearchKind] ?? h.kind, title: h.title, detail: h.snippet ?? null, url: h.url }));
  return [...pageEntries, ...hitEntries];
}

/** Consecutive entries of one group, for headings. */
export function grouped(entries: readonly PaletteEntry[]): { group: string; entries: { entry: PaletteEntry; index: number }[] }[] {
  const groups: { group: string; entries: { entry: PaletteEntry; index: number }[] }[] = [];
  entries.forEach((entry, index) => {
    const last = groups[groups.length - 1];
    if (last && last.group === entry.group) last.entries.push({ entry, index });
    else groups.push({ group: entry.group, entries: [{ entry, index }] });
  });
  return groups;
}

/** Whether a key press happened while the person types into a field (where "/" is a character, not a shortcut). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as { closest?: unknown }).closest !== 'function') return false;
  const el = target as Element;
  return el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
}
