import { GraphQLError } from 'graphql';
import type { FieldError } from '@hindsight/domain';

export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED' | 'INTERNAL_SERVER_ERROR' | 'SERVICE_UNAVAILABLE' | LimitCode | ModelCode;

/**
 * Why a model-drafted section (docs/ai-drafts.md) could not be shown; nothing was written:
 * drafting is off, the model server did not answer in time, answered something that is not
 * a draft, declined, or could not be reached.
 */
export const MODEL_CODES = ['MODEL_NOT_CONFIGURED', 'MODEL_TIMEOUT', 'MODEL_BAD_ANSWER', 'MODEL_REFUSED', 'MODEL_UNAVAILABLE'] as const;
export type ModelCode = (typeof MODEL_CODES)[number];

/** Codes of a request refused by one of the GraphQL limits (docs/security.md, "Limits"), before it ran. */
export const LIMIT_CODES = [
  'QUERY_TOO_LARGE',
  'TOO_MANY_TOKENS',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'TOO_MANY_FRAGMENTS',
  'TOO_MANY_REPEATED_FIELDS',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_SIGN_INS',
  'CSRF_REFUSED',
] as const;
export type LimitCode = (typeof LIMIT_CODES)[number];

/**
 * A typed error the API shows as is: `extensions.code` says what kind, the message what to fix.
 * `statusCode` is the HTTP status of a request refused before it ran (a resolver's error keeps 200).
 */
export class AppError extends GraphQLError {
  constructor(message: string, readonly code: ErrorCode, extra: Record<string, unknown> = {}, readonly statusCode?: number) {
    super(message, { extensions: { code, ...extra } });
    this.name = 'AppError';
  }
}

/** One bad field; `field` is the input path, e.g. `input.title`. */
export function badInput(field: string, reason: string): AppError {
  return new AppError(`${field}: ${reason}`, 'BAD_USER_INPUT', { field, reason });
}

/** Several bad fields at once; `extensions.field` names the first, `extensions.fields` all. */
export function badInputs(errors: readonly FieldError[]): AppError {
  if (errors.length === 0) throw new Error('badInputs needs at least one error');
  const [first] = errors;
  const message = errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
  return new AppError(message, 'BAD_USER_INPUT', { field: first.field, reason: first.reason, fields: errors });
}

/** Throws when validation found anything. */
export function assertValid(errors: readonly FieldError[]): void {
  if (errors.length > 0) throw badInputs(errors);
}

/** The operation's own target does not exist (e.g. `updateIncident(id:)` with an unknown id). */
export function notFound(what: string, id: string): AppError {
  return new AppError(`No ${what} with id "${id}"`, 'NOT_FOUND', { id });
}

/** An input names something that does not exist: the caller's input is wrong, so BAD_USER_INPUT. */
export function unknownId(what: string, id: string, field: string): AppError {
  return badInput(field, `no ${what} with id "${id}"`);
}

export function forbidden(reason: string): AppError {
  return new AppError(reason, 'FORBIDDEN');
}

export function unauthenticated(reason = 'Sign in first: send "Authorization: Bearer <token>" with a token from login or an API token.'): AppError {
  return new AppError(reason, 'UNAUTHENTICATED');
}

export function conflict(message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError(message, 'CONFLICT', extra);
}

/** A request refused by a limit before any of it ran: HTTP 400 with the limit and what was found. */
export function limitExceeded(code: LimitCode, message: string, limit: number, found: number): AppError {
  return new AppError(message, code, { limit, found }, 400);
}

export function rateLimited(retryAfterSeconds: number, message = `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} seconds.`): AppError {
  return new AppError(message, 'RATE_LIMITED', { retryAfterSeconds }, 429);
}

/** Postgres unique-violation (23505) on the named constraint, for mapping races to CONFLICT/BAD_USER_INPUT. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = err.code ?? err.driverError?.code;
  const name = err.constraint ?? err.driverError?.constraint;
  return code === '23505' && (constraint === undefined || name === constraint);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
