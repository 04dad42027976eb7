import { Args, ID, Int, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import type { ReviewVerdict } from '@hindsight/domain';
import { Authenticated, CurrentActor, GqlEnum, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { IdentityLoaders, UserType } from '@hindsight/server-identity';
import { IncidentLoaders } from './incidents.loaders';
import { IncidentType } from './incidents.types';
import { PostmortemsService } from './postmortems.service';
import { PostmortemInput, PostmortemRevisionType, PostmortemType, ReviewType } from './postmortems.types';

@Resolver(() => PostmortemType)
export class PostmortemsResolver {
  constructor(
    private readonly postmortems: PostmortemsService,
    private readonly loaders: IncidentLoaders,
    private readonly identity: IdentityLoaders,
  ) {}

  @RequireRole('COMMANDER')
  @Mutation(() => PostmortemType, { description: 'Edits sections. A stale expectedVersion is refused with CONFLICT and extensions.currentVersion.' })
  updatePostmortem(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('input') input: PostmortemInput,
  ): Promise<PostmortemType> {
    return this.postmortems.update(actor, incidentId, expectedVersion, input);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => PostmortemType, { description: 'Names reviewers (active users); DRAFT → IN_REVIEW. Asking a reviewer again resets their verdict.' })
  requestPostmortemReview(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('reviewerIds', { type: () => [ID] }) reviewerIds: string[],
  ): Promise<PostmortemType> {
    return this.postmortems.requestReview(actor, incidentId, reviewerIds);
  }

  // Any role: being named a reviewer is the permission (checked in the service).
  @Authenticated()
  @Mutation(() => PostmortemType, { description: 'A named reviewer approves or requests changes.' })
  reviewPostmortem(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('verdict', { type: () => GqlEnum.ReviewVerdict }) verdict: ReviewVerdict,
    @Args('comment', { type: () => String, nullable: true }) comment?: string | null,
  ): Promise<PostmortemType> {
    return this.postmortems.review(actor, incidentId, verdict, comment);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => PostmortemType, { description: 'IN_REVIEW → PUBLISHED; refused with BAD_USER_INPUT listing extensions.blockers until PRODUCT.md 2 step 5 is met.' })
  publishPostmortem(@CurrentActor() actor: SessionActor, @Args('incidentId', { type: () => ID }) incidentId: string): Promise<PostmortemType> {
    return this.postmortems.publish(actor, incidentId);
  }

  @Authenticated()
  @ResolveField(() => IncidentType)
  async incident(postmortem: PostmortemType, _args: unknown, ctx: RequestContext): Promise<IncidentType> {
    const incident = await this.loaders.incident(ctx).load(postmortem.incidentId);
    if (!incident) throw new Error(`postmortem ${postmortem.id} belongs to a missing incident`);
    return incident;
  }

  @Authenticated()
  @ResolveField(() => [ReviewType])
  reviews(postmortem: PostmortemType, _args: unknown, ctx: RequestContext): Promise<ReviewType[]> {
    return this.loaders.reviews(ctx).load(postmortem.id);
  }

  @Authenticated()
  @ResolveField(() => [PostmortemRevisionType], { description: 'Every successful update, oldest first.' })
  revisions(postmortem: PostmortemType, _args: unknown, ctx: RequestContext): Promise<PostmortemRevisionType[]> {
    return this.loaders.revisions(ctx).load(postmortem.id);
  }

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true })
  publishedBy(postmortem: PostmortemType, _args: unknown, ctx: RequestContext): Promise<UserType | null> {
    return postmortem.publishedById ? this.identity.user(ctx).load(postmortem.publishedById) : Promise.resolve(null);
  }
}

@Resolver(() => ReviewType)
export class ReviewsResolver {
  constructor(private readonly identity: IdentityLoaders) {}

  @Authenticated()
  @ResolveField(() => UserType)
  async reviewer(review: ReviewType, _args: unknown, ctx: RequestContext): Promise<UserType> {
    const user = await this.identity.user(ctx).load(review.reviewerId);
    if (!user) throw new Error(`review of postmortem ${review.postmortemId} names a missing user`);
    return user;
  }
}

@Resolver(() => PostmortemRevisionType)
export class PostmortemRevisionsResolver {
  constructor(private readonly identity: IdentityLoaders) {}

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true })
  author(revision: PostmortemRevisionType, _args: unknown, ctx: RequestContext): Promise<UserType | null> {
    return revision.authorId ? this.identity.user(ctx).load(revision.authorId) : Promise.resolve(null);
  }
}
