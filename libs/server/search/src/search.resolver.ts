import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, Cost } from '@hindsight/server-graphql';
import { SearchService } from './search.service';
import { SearchHitType } from './search.types';

@Resolver(() => SearchHitType)
export class SearchResolver {
  constructor(private readonly service: SearchService) {}

  @Authenticated()
  // Five full-text look-ups in one statement: 0.1–0.3 s at 200,000 incidents, against the
  // reliability report's 0.2–0.5 s at 1,000 points (measured by the issue 22 probe).
  @Cost(300)
  @Query(() => [SearchHitType], {
    description:
      'Full-text search over incidents, postmortems, action items, runbooks and services: every word must match (3+ letters as a prefix), INC-<n> finds that incident; ' +
      'the best hit of each kind first, then the second best, …; `first` is 1–50 (10 when omitted); the query is 1–200 characters.',
  })
  search(@Args('query') query: string, @Args('first', { type: () => Int, nullable: true }) first?: number | null): Promise<SearchHitType[]> {
    return this.service.search(query, first);
  }
}
