import type { ApolloCache, StoreObject } from '@apollo/client';
import { appendToList } from '@hindsight/web-data-access';

export { removeFromCache } from '@hindsight/web-data-access';

type IncidentList = 'timeline' | 'hypotheses' | 'contributingFactors' | 'failedSafeguards' | 'actionItems';

/** A created entry joins its incident's list in the cache, instead of refetching IncidentDetail by name. */
export function addToIncident(cache: ApolloCache, incidentId: string, list: IncidentList, entry: StoreObject | null | undefined): void {
  appendToList(cache, { __typename: 'Incident', id: incidentId }, list, entry);
}

/** Oldest first, whatever order the entries reached the cache in. */
export function byTime<T extends { occurredAt: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => new Date(a.occurredAt).getTime() - new Date(b.occurredAt).getTime());
}
