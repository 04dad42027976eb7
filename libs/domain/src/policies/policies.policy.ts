import { Priority, PRIORITIES, Severity, SEVERITIES } from '../enums/contract.enums';
import { FieldError } from '../validation/fields.validation';
import { addDays, isValidDate } from '../time/time.util';

/** The ADMIN-configurable policies (PRODUCT.md 4) that domain rules depend on. */
export interface Policies {
  /** Days after resolution a postmortem is due; null = no postmortem required for that severity. */
  readonly postmortemDueDays: Readonly<Record<Severity, number | null>>;
  /** Days after creation an action item is due by default. */
  readonly actionItemDueDays: Readonly<Record<Priority, number>>;
  /** Cost of one responder hour, in the organisation's currency (incident cost). */
  readonly hourlyResponderRate: number;
  /** Fully loaded cost of one person-day (action-item ROI). */
  readonly personDayCost: number;
  /** Default days between reviews of a runbook (issue 13); each runbook may set its own. */
  readonly runbookReviewDays: number;
  /** Days after a done item's completion within which a like incident means its fix did not hold (PRODUCT.md 5). */
  readonly fixHoldDays: number;
}

/**
 * PRODUCT.md 4 defaults. The two cost settings are not in the spec: 150 per responder hour
 * and 1200 per person-day are round figures for a fully loaded engineer (≈ 8 h × 150), so a
 * fresh install shows plausible costs until an ADMIN enters the organisation's own.
 */
export const DEFAULT_POLICIES: Policies = Object.freeze({
  postmortemDueDays: Object.freeze({ SEV1: 5, SEV2: 10, SEV3: 20, SEV4: null }),
  actionItemDueDays: Object.freeze({ P0: 7, P1: 30, P2: 90, P3: 180 }),
  hourlyResponderRate: 150,
  personDayCost: 1200,
  runbookReviewDays: 90,
  fixHoldDays: 90,
});

/** Bounds that catch typos (a 5000-day deadline) without second-guessing real choices. */
export const POLICY_LIMITS = {
  maxDueDays: 730,
  maxHourlyRate: 1_000_000,
  maxPersonDayCost: 10_000_000,
} as const;

/**
 * When the postmortem of an incident is due: `resolvedAt` + the severity's days. Null when
 * the severity needs no postmortem or the incident is not resolved yet (the clock starts at
 * resolution, so an incident still being fought is never "late" on its write-up).
 */
export function postmortemDueAt(severity: Severity, resolvedAt: Date | null | undefined, policies: Policies = DEFAULT_POLICIES): Date | null {
  const days = policies.postmortemDueDays[severity];
  if (days === null || !isValidDate(resolvedAt)) return null;
  return addDays(resolvedAt, days);
}

/** Default due date of a new action item: `createdAt` + the priority's days. */
export function actionItemDueAt(priority: Priority, createdAt: Date, policies: Policies = DEFAULT_POLICIES): Date {
  return addDays(createdAt, policies.actionItemDueDays[priority]);
}

/** A partial policy document (as stored, or as sent by an ADMIN) completed with the defaults. */
export interface PoliciesPatch {
  readonly postmortemDueDays?: Partial<Record<Severity, number | null>>;
  readonly actionItemDueDays?: Partial<Record<Priority, number>>;
  readonly hourlyResponderRate?: number;
  readonly personDayCost?: number;
  readonly runbookReviewDays?: number;
  readonly fixHoldDays?: number;
}

export function withDefaultPolicies(patch: PoliciesPatch | null | undefined, base: Policies = DEFAULT_POLICIES): Policies {
  return {
    postmortemDueDays: { ...base.postmortemDueDays, ...patch?.postmortemDueDays },
    actionItemDueDays: { ...base.actionItemDueDays, ...patch?.actionItemDueDays },
    hourlyResponderRate: patch?.hourlyResponderRate ?? base.hourlyResponderRate,
    personDayCost: patch?.personDayCost ?? base.personDayCost,
    runbookReviewDays: patch?.runbookReviewDays ?? base.runbookReviewDays,
    fixHoldDays: patch?.fixHoldDays ?? base.fixHoldDays,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function dueDays(field: string, value: unknown, nullable: boolean): FieldError | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > POLICY_LIMITS.maxDueDays) {
    const also = nullable ? ' (or null: not required)' : '';
    return { field, reason: `must be a whole number of days between 1 and ${POLICY_LIMITS.maxDueDays}${also} (got ${JSON.stringify(value)})` };
  }
  return null;
}

function money(field: string, value: unknown, max: number, positive: boolean): FieldError | null {
  const ok = typeof value === 'number' && Number.isFinite(value) && (positive ? value > 0 : value >= 0) && value <= max;
  return ok ? null : { field, reason: `must be a number ${positive ? 'greater than 0' : 'of at least 0'} and at most ${max} (got ${JSON.stringify(value)})` };
}

/**
 * Validates a complete policy document (every key present). Besides ranges, it checks that
 * urgency is monotonic: a more severe incident never gets longer for its postmortem than a
 * less severe one, and a P0 never gets a later default deadline than a P1 — a document
 * that says otherwise is almost certainly a typo, and it would make the ladder chase the
 * less important work first. Severities set to null (not required) are skipped.
 * personDayCost must be > 0 because ROI divides by it.
 */
export function validatePolicies(input: unknown, fieldPrefix = 'input'): FieldError[] {
  const errors: FieldError[] = [];
  if (!isRecord(input)) return [{ field: fieldPrefix, reason: 'must be an object' }];

  const pm = input['postmortemDueDays'];
  if (!isRecord(pm)) errors.push({ field: `${fieldPrefix}.postmortemDueDays`, reason: `must be an object with ${SEVERITIES.join(', ')}` });
  else {
    let previous: { key: Severity; days: number } | null = null;
    for (const s of SEVERITIES) {
      const field = `${fieldPrefix}.postmortemDueDays.${s}`;
      const err = dueDays(field, pm[s], true);
      if (err) errors.push(err);
      const days = pm[s];
      if (err || typeof days !== 'number') continue;
      if (previous && days < previous.days) {
        errors.push({ field, reason: `must not be shorter than ${previous.key}'s ${previous.days} days: a less severe incident cannot be more urgent (got ${days})` });
      }
      previous = { key: s, days };
    }
  }

  const ai = input['actionItemDueDays'];
  if (!isRecord(ai)) errors.push({ field: `${fieldPrefix}.actionItemDueDays`, reason: `must be an object with ${PRIORITIES.join(', ')}` });
  else {
    let previous: { key: Priority; days: number } | null = null;
    for (const p of PRIORITIES) {
      const field = `${fieldPrefix}.actionItemDueDays.${p}`;
      const err = dueDays(field, ai[p], false);
      if (err) errors.push(err);
      const days = ai[p];
      if (err || typeof days !== 'number') continue;
      if (previous && days < previous.days) {
        errors.push({ field, reason: `must not be shorter than ${previous.key}'s ${previous.days} days: a lower priority cannot be due sooner (got ${days})` });
      }
      previous = { key: p, days };
    }
  }

  const rate = money(`${fieldPrefix}.hourlyResponderRate`, input['hourlyResponderRate'], POLICY_LIMITS.maxHourlyRate, false);
  if (rate) errors.push(rate);
  const day = money(`${fieldPrefix}.personDayCost`, input['personDayCost'], POLICY_LIMITS.maxPersonDayCost, true);
  if (day) errors.push(day);
  const review = input['runbookReviewDays'];
  if (review !== undefined) {
    const err = dueDays(`${fieldPrefix}.runbookReviewDays`, review, false);
    if (err) errors.push(err);
  }
  const hold = input['fixHoldDays'];
  if (hold !== undefined) {
    const err = dueDays(`${fieldPrefix}.fixHoldDays`, hold, false);
    if (err) errors.push(err);
  }
  return errors;
}
