import { checkText, collectErrors, FieldError } from '../validation/fields.validation';

export const POSTMORTEM_SECTIONS = ['summary', 'impact', 'triggeringCause', 'whatWentWell', 'whatWentPoorly', 'whereWeGotLucky', 'lessons'] as const;
export type PostmortemSection = (typeof POSTMORTEM_SECTIONS)[number];

export type PostmortemSections = { readonly [K in PostmortemSection]?: string | null };

/** The written sections and the no-action reason as a postmortem holds them: null where nothing is written. */
export type PostmortemTexts = { [K in PostmortemSection | 'noActionReason']: string | null };

/** Every section is optional markdown of at most 100 kB; null or '' clears it. */
export function validatePostmortemInput(input: PostmortemSections): FieldError[] {
  return collectErrors(...POSTMORTEM_SECTIONS.map((s) => checkText(`input.${s}`, input[s])));
}

/** updatePostmortem's optimistic concurrency: the edit was based on an older version. */
export function isStaleVersion(expectedVersion: number, currentVersion: number): boolean {
  return expectedVersion !== currentVersion;
}
