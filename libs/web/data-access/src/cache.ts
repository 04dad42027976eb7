import type { ApolloCache, Reference, StoreObject } from '@apollo/client';

/** Whose list: an entity (`Incident`, `Service` …), or `ROOT_QUERY` for a top-level list (`teams`, `users` …). */
export type ListOwner = { __typename: string; id: string } | 'ROOT_QUERY';

const ownerId = (cache: ApolloCache, owner: ListOwner) => (owner === 'ROOT_QUERY' ? owner : cache.identify(owner));

/**
 * A created entry joins its owner's list in the cache (`Incident.timeline`,
 * `Postmortem.comments`, the root `teams` …), so every query that shows the list sees it at
 * once, instead of refetching pages by name. A list the cache has not loaded is left alone.
 */
export function appendToList(cache: ApolloCache, owner: ListOwner, field: string, entry: StoreObject | null | undefined): void {
  if (!entry) return;
  cache.modify({
    id: ownerId(cache, owner),
    fields: {
      [field]: (existing: readonly Reference[] = [], { toReference }: { toReference: (o: StoreObject) => Reference | undefined }) => {
        const ref = toReference(entry);
        return ref && !existing.some((r) => r.__ref === ref.__ref) ? [...existing, ref] : existing;
      },
    },
  });
}

/** An entry leaves one list (an untagged theme) but still exists elsewhere: the entity stays in the cache. */
export function removeFromList(cache: ApolloCache, owner: ListOwner, field: string, entry: { __typename: string; id: string }): void {
  const gone = cache.identify(entry);
  cache.modify({
    id: ownerId(cache, owner),
    fields: {
      [field]: (existing: readonly Reference[] = []) => existing.filter((r) => r.__ref !== gone),
    },
  });
}

/** A deleted entry leaves the cache; lists drop the dangling reference when they are read. */
export function removeFromCache(cache: ApolloCache, typename: string, id: string): void {
  cache.evict({ id: cache.identify({ __typename: typename, id }) });
  cache.gc();
}
