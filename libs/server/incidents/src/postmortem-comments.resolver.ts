import { Args, ID, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, RequestContext, SessionActor } from '@hindsight/server-graphql';
import { IdentityLoaders, UserType } from '@hindsight/server-identity';
import { IncidentLoaders } from './incidents.loaders';
import { PostmortemCommentsService } from './postmortem-comments.service';
import { PostmortemCommentType, PostmortemType } from './postmortems.types';

// Any role: being a named reviewer or the incident's commander is permission enough (checked in the service).
@Resolver(() => PostmortemCommentType)
export class PostmortemCommentsResolver {
  constructor(
    private readonly comments: PostmortemCommentsService,
    private readonly identity: IdentityLoaders,
  ) {}

  @Authenticated()
  @Mutation(() => PostmortemCommentType, { description: "Comments on a section of the incident's postmortem: its reviewers, the incident's commander, COMMANDERs and above. Audited." })
  addPostmortemComment(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('section') section: string,
    @Args('body') body: string,
  ): Promise<PostmortemCommentType> {
    return this.comments.add(actor, incidentId, section, body);
  }

  @Authenticated()
  @Mutation(() => PostmortemCommentType, { description: 'Marks a comment dealt with (once; again changes nothing): whoever may comment, and its author. Audited.' })
  resolvePostmortemComment(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<PostmortemCommentType> {
    return this.comments.resolve(actor, id);
  }

  @Authenticated()
  @ResolveField(() => UserType)
  async author(comment: PostmortemCommentType, _args: unknown, ctx: RequestContext): Promise<UserType> {
    const user = await this.identity.user(ctx).load(comment.authorId);
    if (!user) throw new Error(`comment ${comment.id} names a missing author`);
    return user;
  }

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true })
  resolvedBy(comment: PostmortemCommentType, _args: unknown, ctx: RequestContext): Promise<UserType | null> {
    return comment.resolvedById ? this.identity.user(ctx).load(comment.resolvedById) : Promise.resolve(null);
  }
}

@Resolver(() => PostmortemType)
export class PostmortemCommentListResolver {
  constructor(private readonly loaders: IncidentLoaders) {}

  @Authenticated()
  @ResolveField(() => [PostmortemCommentType], { description: 'Review comments, oldest first, resolved ones included.' })
  comments(postmortem: PostmortemType, _args: unknown, ctx: RequestContext): Promise<PostmortemCommentType[]> {
    return this.loaders.comments(ctx).load(postmortem.id);
  }
}
