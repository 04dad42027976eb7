/** What a spec talks to: the API harness (`startApi`), or anything that answers GraphQL the same way. */
export interface GqlAnswer<T> {
  status: number;
  data: T | null;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
}

export interface GqlClient {
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlAnswer<T>>;
  login(email?: string, password?: string): Promise<string>;
}

/**
 * The data of an operation that must succeed; any error fails the test with the operation's
 * first line and the errors (a setup step that half-worked never passes silently). An answer
 * whose every error the API marks `retryable` (the database was busy: nothing was changed) is
 * asked again, twice at most, as a client would: a busy shared machine is not a failure.
 */
export async function must<T>(api: Pick<GqlClient, 'gql'>, query: string, variables: Record<string, unknown> = {}, token?: string | null): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const res = await api.gql<T>(query, variables, token);
    if (!res.errors?.length && res.data) return res.data;
    const retryable = !!res.errors?.length && res.errors.every((e) => e.extensions?.['retryable'] === true);
    if (!retryable || attempt === 3) throw new Error(`${query.trim().split('\n')[0].slice(0, 80)}: ${JSON.stringify(res.errors ?? res)}`);
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
}

/**
 * Whether the field an error names is the expected input path, or, for values GraphQL itself
 * refused (enums, dates) after Mercurius JIT-compiled the operation, that path's last segment.
 */
export function namesField(actual: unknown, expected: string): boolean {
  const field = String(actual);
  const leaf = expected.split('.').pop() ?? expected;
  return field.startsWith(expected) || field === leaf || field.startsWith(`${leaf}.`);
}
