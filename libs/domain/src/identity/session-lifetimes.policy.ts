import { checkNumber, collectErrors, FieldError } from '../validation/fields.validation';

/**
 * How long a sign-in lasts. A session ends when it has not been used for `idleTimeoutMinutes`
 * or, whatever the use, `absoluteLifetimeHours` after sign-in. Both are checked on every
 * request, so shortening them applies to sessions already open.
 */
export interface SessionLifetimes {
  readonly idleTimeoutMinutes: number;
  readonly absoluteLifetimeHours: number;
}

/**
 * A working day's break (lunch, a meeting, the night) does not sign anyone out, a week-old
 * sign-in does: an incident tool is opened at 3 a.m. and should not ask for a password then,
 * but a lost laptop stays signed in for a week at most.
 */
export const DEFAULT_SESSION_LIFETIMES: SessionLifetimes = { idleTimeoutMinutes: 24 * 60, absoluteLifetimeHours: 7 * 24 };

export const SESSION_LIFETIME_BOUNDS = {
  idleTimeoutMinutes: { min: 1, max: 30 * 24 * 60 },
  absoluteLifetimeHours: { min: 1, max: 90 * 24 },
} as const;

/** Last use is written at most this often per session (the idle check's resolution). */
export const SESSION_TOUCH_SECONDS = 60;

/**
 * A session that ended (sign-out, password change, an ADMIN) or whose token expired can never
 * count again; its row is kept this long, then the worker deletes it.
 */
export const FINISHED_SESSION_RETENTION_DAYS = 30;

export function withDefaultSessionLifetimes(stored: Partial<SessionLifetimes> | null | undefined): SessionLifetimes {
  return { ...DEFAULT_SESSION_LIFETIMES, ...Object.fromEntries(Object.entries(stored ?? {}).filter(([, v]) => typeof v === 'number')) };
}

export function validateSessionLifetimes(l: SessionLifetimes, prefix = 'input'): FieldError[] {
  const b = SESSION_LIFETIME_BOUNDS;
  const errors = collectErrors(
    checkNumber(`${prefix}.idleTimeoutMinutes`, l.idleTimeoutMinutes, { required: true, integer: true, ...b.idleTimeoutMinutes }),
    checkNumber(`${prefix}.absoluteLifetimeHours`, l.absoluteLifetimeHours, { required: true, integer: true, ...b.absoluteLifetimeHours }),
  );
  if (errors.length === 0 && l.idleTimeoutMinutes > l.absoluteLifetimeHours * 60) {
    errors.push({ field: `${prefix}.idleTimeoutMinutes`, reason: `must not be longer than the absolute lifetime (${l.absoluteLifetimeHours * 60} minutes)` });
  }
  return errors;
}
