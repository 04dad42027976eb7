import type { FormattedExecutionResult } from 'graphql';
import { tokenStore } from './token.store';

/**
 * `query Me` as text, for the one request sent before the app's code has loaded (it cannot use
 * the generated document without the GraphQL printer), with the `__typename`s Apollo adds to
 * what it sends, so the answer fills its cache alike. session.boot.spec checks it prints as
 * the client's own `Me` does.
 */
export const ME_QUERY_TEXT =
  'query Me { me { ...SessionUser __typename } } fragment SessionUser on User { id email name role mustChangePassword teams { id name slug __typename } __typename }';

let early: { token: string; answer: Promise<FormattedExecutionResult | null> } | null = null;

/**
 * Asks who is signed in as the first module runs, while the browser is still fetching and
 * evaluating the app (~0.4 s of a throttled load, bench:web): the app's own `Me` then finds the
 * answer here (apollo.client's boot link) instead of asking only once it has started.
 */
export function askWhoIsSignedIn(): void {
  const token = tokenStore.get();
  if (!token) return;
  const answer = fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ operationName: 'Me', query: ME_QUERY_TEXT }),
  })
    .then((res) => (res.ok ? (res.json() as Promise<FormattedExecutionResult>) : null))
    // Any trouble: the app asks again the usual way, and its error handling takes over.
    .catch(() => null);
  early = { token, answer };
}

/** The early answer, once, if it was asked with the token the app holds now. */
export function takeEarlySession(): Promise<FormattedExecutionResult | null> | null {
  const taken = early;
  early = null;
  return taken && taken.token === tokenStore.get() ? taken.answer : null;
}
