import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ApolloClient } from '@apollo/client';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { graphql } from './generated';
import type { SessionUserFragment } from './generated/graphql';
import { tokenStore } from './token.store';

export const SessionUser = graphql(`
  fragment SessionUser on User {
    id
    email
    name
    role
    mustChangePassword
    teams {
      id
      name
      slug
    }
  }
`);

const Me = graphql(`
  query Me {
    me {
      ...SessionUser
    }
  }
`);

const Logout = graphql(`
  mutation Logout {
    logout
  }
`);

/**
 * Asks who is signed in as the app starts, before React's first render, so the answer (and the
 * page's own queries after it) arrive sooner; the provider's query below joins this one.
 */
export function prefetchSession(client: ApolloClient): Promise<SessionUserFragment | null> {
  if (tokenStore.get() === null) return Promise.resolve(null);
  return client.query({ query: Me }).then(
    ({ data }) => data?.me ?? null,
    () => null,
  );
}

export interface Session {
  /** The signed-in user, null when signed out; undefined while it is being checked. */
  user: SessionUserFragment | null | undefined;
  signIn(token: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useApolloClient();
  const [hasToken, setHasToken] = useState(() => tokenStore.get() !== null);
  const { data, loading } = useQuery(Me, { skip: !hasToken, fetchPolicy: 'cache-first' });

  // However the session ends (expired, ended elsewhere, another tab signed out), the pages behind
  // it go: RequireSession sends the person to sign in and remembers where they were.
  useEffect(
    () =>
      tokenStore.onCleared(() => {
        setHasToken(false);
        void client.clearStore();
      }),
    [client],
  );

  const signIn = useCallback(
    async (token: string) => {
      tokenStore.set(token);
      await client.resetStore();
      setHasToken(true);
    },
    [client],
  );
  const signOut = useCallback(async () => {
    // End the session on the server too, so the token is useless even if it was copied.
    // Signing out still happens locally when the server cannot be reached.
    if (tokenStore.get() !== null) await client.mutate({ mutation: Logout }).catch(() => undefined);
    tokenStore.clear();
  }, [client]);

  const user = !hasToken ? null : loading && !data ? undefined : (data?.me ?? null);
  const value = useMemo(() => ({ user, signIn, signOut }), [user, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
