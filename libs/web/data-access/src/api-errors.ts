import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client';

export interface FieldProblem {
  field: string;
  message: string;
}

interface RefusalError {
  message: string;
  extensions?: Record<string, unknown>;
}

/**
 * The GraphQL errors of a request the API refused before running it (a limit: 400, the
 * per-caller budget: 429 RATE_LIMITED), which Apollo Client reports as a ServerError.
 */
function refusalErrors(error: unknown): RefusalError[] {
  if (!ServerError.is(error)) return [];
  try {
    const body = JSON.parse(error.bodyText) as { errors?: unknown };
    return Array.isArray(body.errors) ? (body.errors as RefusalError[]).filter((e) => typeof e?.message === 'string') : [];
  } catch {
    return [];
  }
}

/** What went wrong, in words a person can act on (never a stack trace or status code alone). */
export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((e) => e.message).join(' ');
  }
  const refused = refusalErrors(error);
  if (refused.length > 0) return refused.map((e) => e.message).join(' ');
  if (ServerError.is(error) || ServerParseError.is(error)) {
    return 'The Hindsight server answered with an error. Try again in a moment; if it persists, ask your administrator to check the server logs.';
  }
  if (error instanceof TypeError || (error instanceof Error && /fetch|network/i.test(error.message))) {
    return 'Cannot reach the Hindsight server. Check your connection and try again.';
  }
  return error instanceof Error ? error.message : 'Something went wrong. Try again.';
}

/** The API's BAD_USER_INPUT errors, keyed by the input field they concern. */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!CombinedGraphQLErrors.is(error)) return [];
  return error.errors
    .filter((e) => e.extensions?.['code'] === 'BAD_USER_INPUT' && typeof e.extensions?.['field'] === 'string')
    .map((e) => ({ field: String(e.extensions?.['field']), message: e.message }));
}

export function errorCode(error: unknown): string | null {
  const code = CombinedGraphQLErrors.is(error) ? error.errors[0]?.extensions?.['code'] : refusalErrors(error)[0]?.extensions?.['code'];
  return typeof code === 'string' ? code : null;
}
