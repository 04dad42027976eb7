import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, Cost, CurrentActor, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { BlamelessReviewService } from './blameless-review.service';
import { PoliciesService } from './policies.service';
import { LanguageFindingType, PoliciesInput, PoliciesType } from './settings.types';

@Resolver(() => PoliciesType)
export class PoliciesResolver {
  constructor(private readonly service: PoliciesService) {}

  @Authenticated()
  @Query(() => PoliciesType, { description: 'Due-date policies and cost rates in force.' })
  policies(): Promise<PoliciesType> {
    return this.service.current();
  }

  @RequireRole('ADMIN')
  @Mutation(() => PoliciesType)
  updatePolicies(@CurrentActor() actor: SessionActor, @Args('input') input: PoliciesInput): Promise<PoliciesType> {
    return this.service.update(actor, input);
  }
}

@Resolver(() => LanguageFindingType)
export class BlamelessReviewResolver {
  constructor(private readonly reviews: BlamelessReviewService) {}

  @Authenticated()
  @Query(() => [LanguageFindingType], { description: 'Flags blame-laden phrasing in postmortem prose, with system-focused suggestions.' })
  // About 1 ms of CPU per kilobyte of text (in a worker thread, so nobody else waits).
  @Cost(10, { perKilobyte: { argument: 'text', points: 10 } })
  blamelessReview(@Args('text') text: string): Promise<LanguageFindingType[]> {
    return this.reviews.review(text);
  }
}
