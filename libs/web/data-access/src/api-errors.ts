import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client';

export interface FieldProblem {
  field: string;
  message: string;
}

/** What went wrong, in words a person can act on (never a stack trace or status code alone). */
export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((e) => e.message).join(' ');
  }
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
  if (!CombinedGraphQLErrors.is(error)) return null;
  const code = error.errors[0]?.extensions?.['code'];
  return typeof code === 'string' ? code : null;
}
