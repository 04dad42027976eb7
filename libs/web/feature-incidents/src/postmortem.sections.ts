import type { PostmortemContentFragment } from '@hindsight/web-data-access';

/** The postmortem's editable texts: the sections of PRODUCT.md 3, then the no-action reason. */
export const PM_FIELDS = ['summary', 'impact', 'triggeringCause', 'whatWentWell', 'whatWentPoorly', 'whereWeGotLucky', 'lessons', 'noActionReason'] as const;
export type PmField = (typeof PM_FIELDS)[number];
export type PmTexts = Record<PmField, string>;

export const PM_SECTION_INFO: Record<PmField, { label: string; prompt: string }> = {
  summary: { label: 'Summary', prompt: 'What happened, in a few sentences someone new to the system understands.' },
  impact: { label: 'Impact', prompt: 'Who was affected, how and for how long; numbers (users, failed requests, revenue) where you have them.' },
  triggeringCause: { label: 'Triggering cause', prompt: 'What set it off. “Unknown” is an honest answer until it is found.' },
  whatWentWell: { label: 'What went well', prompt: 'Detection, tooling, communication: what should we keep doing?' },
  whatWentPoorly: { label: 'What went poorly', prompt: 'Where the system, tools or process made this harder. Describe conditions, not people.' },
  whereWeGotLucky: { label: 'Where we got lucky', prompt: 'What limited the damage by chance rather than design: these are hidden risks.' },
  lessons: { label: 'Lessons', prompt: 'What we now understand about the system that we did not before.' },
  noActionReason: { label: 'No action needed because (optional)', prompt: 'Only when the team decided no action item is needed: say why. Publishing then does not require an action item.' },
};

export function textsOf(pm: PostmortemContentFragment): PmTexts {
  return Object.fromEntries(PM_FIELDS.map((f) => [f, pm[f] ?? ''])) as PmTexts;
}

/** The API stores a blank section as empty, so blank and empty are the same text. */
export const sameText = (a: string, b: string): boolean => (a.trim() === '' ? '' : a) === (b.trim() === '' ? '' : b);

export function changedFields(from: PmTexts, to: PmTexts): PmField[] {
  return PM_FIELDS.filter((f) => !sameText(from[f], to[f]));
}

export interface ConflictEntry {
  field: PmField;
  mine: string;
  theirs: string;
}

/**
 * A three-way comparison after a version conflict. `base` is what this editor last saw
 * saved, `mine` what it holds now, `theirs` what the server holds now. Sections only they
 * changed are taken from theirs; sections only I changed stay mine; sections both changed
 * differently are the conflicts for the writer to resolve. Nothing typed is discarded.
 */
export function threeWay(base: PmTexts, mine: PmTexts, theirs: PmTexts): { merged: PmTexts; conflicts: ConflictEntry[] } {
  const merged = { ...mine };
  const conflicts: ConflictEntry[] = [];
  for (const f of PM_FIELDS) {
    const iChanged = !sameText(base[f], mine[f]);
    const theyChanged = !sameText(base[f], theirs[f]);
    if (theyChanged && !iChanged) merged[f] = theirs[f];
    else if (theyChanged && iChanged && !sameText(mine[f], theirs[f])) conflicts.push({ field: f, mine: mine[f], theirs: theirs[f] });
  }
  return { merged, conflicts };
}
