/** Human incident references: `INC-<n>`, n sequential from 1 and never reused. */
export const REFERENCE_PREFIX = 'INC-';

export function formatReference(n: number): string {
  return `${REFERENCE_PREFIX}${n}`;
}

const REFERENCE = /^INC-([1-9][0-9]{0,14})$/i;

/**
 * `INC-42` (any case, surrounding whitespace ignored) → 42; anything else → null. Leading
 * zeros are refused so that each incident has exactly one spelling of its reference.
 */
export function parseReference(reference: string): number | null {
  // At most 15 digits, so the number is always a safe integer.
  const m = REFERENCE.exec(reference.trim());
  return m ? Number(m[1]) : null;
}
