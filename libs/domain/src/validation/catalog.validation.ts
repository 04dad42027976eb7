import { CHANNEL_KINDS, SERVICE_KINDS, SLO_DIMENSIONS } from '../enums/contract.enums';
import { ROLES } from '../identity/roles.policy';
import { objectiveFraction } from '../metrics/error-budget.metric';
import { checkEmail, checkEnum, checkHttpUrl, checkName, checkNumber, checkRequired, checkText, collectErrors, FieldError } from './fields.validation';

/*
 * Field checks for the ADMIN-managed catalogue: users, teams, services, SLOs, channels.
 * Uniqueness (email, team name, service name) and unknown IDs need the database and are
 * the repositories' concern.
 */

/** NIST SP 800-63B: at least 8 characters, no composition rules; the upper bound caps hashing cost. */
export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 1024;

export interface UserFields {
  readonly email?: string | null;
  readonly name?: string | null;
  readonly role?: string | null;
  readonly password?: string | null;
}

export function validateUserInput(input: UserFields): FieldError[] {
  const pw = input.password;
  const pwLength = typeof pw === 'string' ? [...pw].length : 0;
  return collectErrors(
    checkEmail('input.email', input.email),
    checkName('input.name', input.name),
    checkEnum('input.role', ROLES, input.role),
    checkRequired('input.password', pw) ??
      (pwLength < PASSWORD_MIN_CHARS || pwLength > PASSWORD_MAX_CHARS
        ? { field: 'input.password', reason: `must be between ${PASSWORD_MIN_CHARS} and ${PASSWORD_MAX_CHARS} characters` }
        : null),
  );
}

/** Emails are unique case-insensitively (PRODUCT.md 3); store and compare this form. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function validateTeamInput(input: { readonly name?: string | null }): FieldError[] {
  return collectErrors(checkName('input.name', input.name));
}

export interface ServiceFields {
  readonly name?: string | null;
  readonly kind?: string | null;
  readonly tier?: number | null;
  readonly teamId?: string | null;
  readonly revenuePerMinute?: number | null;
  readonly runbook?: string | null;
}

export function validateServiceInput(input: ServiceFields): FieldError[] {
  return collectErrors(
    checkName('input.name', input.name),
    checkEnum('input.kind', SERVICE_KINDS, input.kind),
    checkNumber('input.tier', input.tier, { required: true, integer: true, min: 1, max: 3 }),
    checkRequired('input.teamId', input.teamId),
    checkNumber('input.revenuePerMinute', input.revenuePerMinute, { min: 0 }),
    checkText('input.runbook', input.runbook),
  );
}

export const SLO_WINDOW_MAX_DAYS = 365;

export interface SloFields {
  readonly serviceId?: string | null;
  readonly dimension?: string | null;
  readonly objective?: number | null;
  readonly windowDays?: number | null;
  readonly segment?: string | null;
}

/**
 * The objective may be a fraction (0.999) or a percentage (99.9), see objectiveFraction;
 * either way it must lie strictly between 0 and 100 %: 100 % leaves no budget to measure.
 */
export function validateSloInput(input: SloFields): FieldError[] {
  const o = input.objective;
  const objectiveError =
    checkNumber('input.objective', o, { required: true }) ??
    (typeof o === 'number' && (objectiveFraction(o) <= 0 || objectiveFraction(o) >= 1)
      ? { field: 'input.objective', reason: `must be a fraction between 0 and 1 exclusive, e.g. 0.999 for 99.9 % (got ${o})` }
      : null);
  return collectErrors(
    checkRequired('input.serviceId', input.serviceId),
    checkEnum('input.dimension', SLO_DIMENSIONS, input.dimension),
    objectiveError,
    checkNumber('input.windowDays', input.windowDays, { integer: true, min: 1, max: SLO_WINDOW_MAX_DAYS }),
    checkName('input.segment', input.segment, { required: false }),
  );
}

export interface ChannelFields {
  readonly kind?: string | null;
  readonly name?: string | null;
  readonly target?: string | null;
  readonly secret?: string | null;
}

/** EMAIL targets an address; SLACK an incoming-webhook URL; WEBHOOK any http(s) URL. */
export function validateChannelInput(input: ChannelFields): FieldError[] {
  const kindError = checkEnum('input.kind', CHANNEL_KINDS, input.kind);
  const targetError = kindError
    ? checkRequired('input.target', input.target)
    : input.kind === 'EMAIL'
      ? checkEmail('input.target', input.target)
      : checkHttpUrl('input.target', input.target, { required: true });
  return collectErrors(kindError, checkName('input.name', input.name), targetError, checkName('input.secret', input.secret, { required: false, max: 1024 }));
}
