import type { ApolloCache, Reference, StoreObject } from '@apollo/client';

/**
 * A created entry joins its owner's list in the cache (`Incident.timeline`,
 * `Postmortem.comments` …), so every query that shows the owner sees it at once, instead of
 * refetching pages by name. A list the cache has not loaded is left alone.
 */
export function appendToList(cache: ApolloCache, owner: { __typename: string; id: string }, field: string, entry: StoreObject | null | undefined): void {
  if (!entry) return;
  cache.modify({
    id: cache.identify(owner),
    fields: {
      [field]: (existing: readonly Reference[] = [], { toReference }: { toReference: (o: StoreObject) => Reference | undefined }) => {
        const ref = toReference(entry);
        return ref && !existing.some((r) => r.__ref === ref.__ref) ? [...existing, ref] : existing;
      },
    },
  });
}

/** A deleted entry leaves the cache; lists drop the dangling reference when they are read. */
export function removeFromCache(cache: ApolloCache, typename: string, id: string): void {
  cache.evict({ id: cache.identify({ __typename: typename, id }) });
  cache.gc();
}
