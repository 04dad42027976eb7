import type { ApolloClient } from '@apollo/client';
import { startQuery } from '@hindsight/web-data-access';
import { ReliabilityOptions, ReliabilityReviewQuery } from './reliability.operations';
import { parseReviewParams, toReliabilityFilter } from './review-filter';

/**
 * /reliability and /reliability/review ask their filters' options and the review itself as the
 * app starts (apps/web/src/main.tsx), from the same URL and the same rules the pages read it
 * with, so the pages find the answers rather than asking once their chunk has rendered.
 */
export function startReliabilityPage(client: ApolloClient, search: string): void {
  void startQuery(client, ReliabilityOptions, {});
  void startQuery(client, ReliabilityReviewQuery, { filter: toReliabilityFilter(parseReviewParams(new URLSearchParams(search))) });
}
