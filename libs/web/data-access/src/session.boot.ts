import { askEarly } from './early.answers';

/**
 * `query Me` as text, for the one request sent before the app's code has loaded (it cannot use
 * the generated document without the GraphQL printer), with the `__typename`s Apollo adds to
 * what it sends, so the answer fills its cache alike. session.boot.spec checks it prints as
 * the client's own `Me` does.
 */
export const ME_QUERY_TEXT =
  'query Me { me { ...SessionUser __typename } } fragment SessionUser on User { id email name role mustChangePassword teams { id name slug __typename } __typename }';

/**
 * Asks who is signed in as the first module runs, while the browser is still fetching and
 * evaluating the app (~0.4 s of a throttled load, bench:web): the app's own `Me` then finds the
 * answer waiting (early.answers) instead of asking only once it has started.
 */
export function askWhoIsSignedIn(): void {
  askEarly('Me', ME_QUERY_TEXT);
}
