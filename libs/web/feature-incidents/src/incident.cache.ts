import type { ApolloCache, Reference, StoreObject } from '@apollo/client';

type IncidentList = 'timeline' | 'hypotheses' | 'contributingFactors' | 'failedSafeguards' | 'actionItems';

/**
 * A created entry joins its incident's list in the cache (every query that shows the incident
 * sees it at once), instead of refetching the whole incident page by name.
 */
export function addToIncident(cache: ApolloCache, incidentId: string, list: IncidentList, entry: StoreObject | null | undefined): void {
  if (!entry) return;
  cache.modify({
    id: cache.identify({ __typename: 'Incident', id: incidentId }),
    fields: {
      [list]: (existing: readonly Reference[] = [], { toReference }: { toReference: (o: StoreObject) => Reference | undefined }) => {
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

/** Oldest first, whatever order the entries reached the cache in. */
export function byTime<T extends { occurredAt: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => new Date(a.occurredAt).getTime() - new Date(b.occurredAt).getTime());
}
