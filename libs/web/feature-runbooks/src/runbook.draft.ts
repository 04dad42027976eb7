import { SECTIONS, type Section } from './runbook.view';

export type Texts = Record<'title' | Section, string>;

/** A draft kept on this device while editing, so a closed tab or a crash loses nothing. */
export interface Draft {
  /** The version the edit started from: the base of the merge when someone else saved meanwhile. */
  baseVersion: number;
  base: Texts;
  mine: Texts;
}

const key = (id: string) => `hindsight.runbook-draft.${id}`;

export function loadDraft(id: string): Draft | null {
  try {
    const raw = window.localStorage.getItem(key(id));
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch {
    return null;
  }
}

export function saveDraft(id: string, draft: Draft): void {
  try {
    window.localStorage.setItem(key(id), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the edit still works, only the device copy is lost.
  }
}

export function clearDraft(id: string): void {
  window.localStorage.removeItem(key(id));
}

export function textsOf(r: { title: string } & Partial<Record<Section, string | null>>): Texts {
  const out = { title: r.title } as Texts;
  for (const s of SECTIONS) out[s] = r[s] ?? '';
  return out;
}

export interface Merge {
  texts: Texts;
  /** Fields both sides changed: mine is kept, theirs shown beside it. */
  conflicts: Partial<Record<keyof Texts, string>>;
}

/**
 * A three-way merge per field, like the postmortem editor: a field only I changed keeps
 * mine, a field only they changed takes theirs, and a field we both changed keeps mine and
 * is flagged with theirs to look at.
 */
export function mergeTexts(base: Texts, mine: Texts, theirs: Texts): Merge {
  const texts = { ...mine };
  const conflicts: Merge['conflicts'] = {};
  for (const k of Object.keys(base) as (keyof Texts)[]) {
    const iChanged = mine[k] !== base[k];
    const theyChanged = theirs[k] !== base[k];
    if (!iChanged) texts[k] = theirs[k];
    else if (theyChanged && theirs[k] !== mine[k]) conflicts[k] = theirs[k];
  }
  return { texts, conflicts };
}
