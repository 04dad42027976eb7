import { CHANNEL_KINDS, SERVICE_KINDS, SLO_DIMENSIONS } from '../enums/contract.enums';
import { normaliseEmail } from '../identity/email.rules';
import { passwordProblem } from '../identity/password.policy';
import { ROLES } from '../identity/roles.policy';
import { objectiveFraction } from '../metrics/error-budget.metric';
import { checkEmail, checkEnum, checkHttpUrl, checkName, checkNumber, checkRequired, checkText, collectErrors, FieldError } from './fields.validation';

/*
 * Field checks for the ADMIN-managed catalogue: users, teams, services, SLOs, channels.
 * Uniqueness (email, team name, service name) and unknown IDs need the database and are
 * the repositories' concern.
 */

export interface UserFields {
  readonly email?: string | null;
  readonly name?: string | null;
  readonly role?: string | null;
  readonly password?: string | null;
}

/** The e-mail is checked in its normalised form (normaliseEmail), which is what is stored. */
export function validateUserInput(input: UserFields): FieldError[] {
  const pw = input.password;
  const email = typeof input.email === 'string' ? (normaliseEmail(input.email) ?? input.email) : input.email;
  return collectErrors(
    checkEmail('input.email', email),
    checkName('input.name', input.name),
    checkEnum('input.role', ROLES, input.role),
    checkRequired('input.password', pw) ?? (typeof pw === 'string' ? passwordField('input.password', pw) : null),
  );
}

/** The password rule as a field error (null when the password may be used). */
export function passwordField(field: string, password: string): FieldError | null {
  const reason = passwordProblem(password);
  return reason === null ? null : { field, reason };
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

/** EMAIL targets an address; SLACK an incoming-webhook URL; TEAMS a Workflows webhook URL; WEBHOOK any http(s) URL. */
export function validateChannelInput(input: ChannelFields): FieldError[] {
  const kindError = checkEnum('input.kind', CHANNEL_KINDS, input.kind);
  const targetError = kindError
    ? checkRequired('input.target', input.target)
    : input.kind === 'EMAIL'
      ? checkEmail('input.target', input.target)
      : checkHttpUrl('input.target', input.target, { required: true });
  return collectErrors(kindError, checkName('input.name', input.name), targetError, checkName('input.secret', input.secret, { required: false, max: 1024 }));
}
