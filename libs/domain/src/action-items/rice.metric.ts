import { checkNumber, collectErrors, FieldError } from '../validation/fields.validation';

/** RICE impact scale (0.25 minimal … 3 massive) and confidence as a fraction. */
export const RICE_LIMITS = { impactMin: 0.25, impactMax: 3, confidenceMin: 0, confidenceMax: 1 } as const;

type Maybe = number | null | undefined;

const usable = (v: Maybe): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * reach × impact × confidence ÷ effort (person-days). Null when any input is missing or out
 * of range (impact in [0.25, 3], confidence in [0, 1], reach ≥ 0, effort > 0): a score built
 * on a guess outside the scale would rank the backlog wrongly, so it is not shown at all.
 */
export function riceScore(reach: Maybe, impact: Maybe, confidence: Maybe, effort: Maybe): number | null {
  if (!usable(reach) || !usable(impact) || !usable(confidence) || !usable(effort)) return null;
  if (reach < 0 || impact < RICE_LIMITS.impactMin || impact > RICE_LIMITS.impactMax) return null;
  if (confidence < RICE_LIMITS.confidenceMin || confidence > RICE_LIMITS.confidenceMax || effort <= 0) return null;
  return (reach * impact * confidence) / effort;
}

export interface RiceInputs {
  readonly reach?: Maybe;
  readonly impact?: Maybe;
  readonly confidence?: Maybe;
  readonly effortDays?: Maybe;
}

/** Each RICE input is optional, but when given it must be on the scale. */
export function validateRiceInputs(input: RiceInputs, fieldPrefix = 'input'): FieldError[] {
  return collectErrors(
    checkNumber(`${fieldPrefix}.reach`, input.reach, { min: 0 }),
    checkNumber(`${fieldPrefix}.impact`, input.impact, { min: RICE_LIMITS.impactMin, max: RICE_LIMITS.impactMax }),
    checkNumber(`${fieldPrefix}.confidence`, input.confidence, { min: RICE_LIMITS.confidenceMin, max: RICE_LIMITS.confidenceMax }),
    checkNumber(`${fieldPrefix}.effortDays`, input.effortDays, { min: 0, minExclusive: true }),
  );
}
