import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { Observable } from 'rxjs';
import { takeEarlyAnswer } from './early.answers';
import { tokenStore } from './token.store';

/**
 * One client for the app. The token rides in the Authorization header (never a cookie), and
 * requests are JSON POSTs, which the API's CSRF rule requires. An UNAUTHENTICATED answer
 * for a signed-in user (expired token, deactivated account) signs the browser out.
 */
export function createApolloClient(options: { uri?: string } = {}): ApolloClient {
  const auth = new SetContextLink((prev) => {
    const token = tokenStore.get();
    return token ? { headers: { ...prev['headers'], authorization: `Bearer ${token}` } } : {};
  });
  const expired = new ErrorLink(({ error, operation }) => {
    // A refused sign-in is a wrong password; a refused sign-out has already ended: neither is an expiry.
    if (operation.operationName === 'SignIn' || operation.operationName === 'Logout') return;
    if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED') && tokenStore.get()) {
      // The session provider hears of it and sends the person to sign in, then back here.
      tokenStore.clear();
    }
  });
  // An operation asked early (early.answers: an opened page's queries) takes that answer instead
  // of asking again.
  const boot = new ApolloLink((operation, forward) => {
    const early = takeEarlyAnswer(operation.operationName ?? '', operation.variables);
    if (!early) return forward(operation);
    return new Observable((observer) => {
      let rest: { unsubscribe(): void } | undefined;
      void early.then((answer) => {
        if (answer) {
          observer.next(answer as ApolloLink.Result);
          observer.complete();
        } else rest = forward(operation).subscribe(observer);
      });
      return () => rest?.unsubscribe();
    });
  });
  return new ApolloClient({
    link: ApolloLink.from([expired, boot, auth, new HttpLink({ uri: options.uri ?? '/graphql' })]),
    // MyWork has no id: the nav badge and the home page read different fields of it, which merge.
    cache: new InMemoryCache({ typePolicies: { MyWork: { merge: true } } }),
  });
}
