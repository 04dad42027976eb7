import { Args, GraphQLISODateTime, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { nudgeResponseStats } from '@hindsight/domain';
import { ActionItemType } from '@hindsight/server-action-items';
import { ChaseRepository } from '@hindsight/server-chase';
import { REPORT_TEAM_ID, ReliabilityReportType } from '@hindsight/server-insights';
import { Authenticated, CurrentActor, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { IdentityLoaders, TeamType, UserType } from '@hindsight/server-identity';
import { ExtensionRequestsService } from './extension-requests.service';
import { MyWorkService } from './my-work.service';
import { ResponsesLoaders } from './responses.loaders';
import { DueDateExtensionRequestType, MyWorkType, NudgeResponseStatsType } from './responses.types';

@Resolver(() => MyWorkType)
export class MyWorkResolver {
  constructor(private readonly work: MyWorkService) {}

  @Authenticated()
  @Query(() => MyWorkType, { description: 'What needs the signed-in person now (the home page).' })
  myWork(@CurrentActor() actor: SessionActor): Promise<MyWorkType> {
    return this.work.forActor(actor);
  }
}

@Resolver(() => DueDateExtensionRequestType)
export class ExtensionRequestsResolver {
  constructor(
    private readonly requests: ExtensionRequestsService,
    private readonly loaders: ResponsesLoaders,
    private readonly identity: IdentityLoaders,
  ) {}

  @RequireRole('COMMANDER')
  @Mutation(() => DueDateExtensionRequestType, { description: "Asks the owning team's manager for a later due date (in the future, with a reason); they hear of it at once." })
  requestDueDateExtension(
    @CurrentActor() actor: SessionActor,
    @Args('actionItemId', { type: () => ID }) actionItemId: string,
    @Args('until', { type: () => GraphQLISODateTime }) until: Date,
    @Args('reason') reason: string,
    @Args('viaDelivery', { type: () => ID, nullable: true, description: "The delivery id from the reminder's link that led here; kept in the audit log." }) viaDelivery?: string | null,
  ): Promise<DueDateExtensionRequestType> {
    return this.requests.request(actor, actionItemId, until, reason, viaDelivery ?? null);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => DueDateExtensionRequestType, { description: "By the owning team's manager or an ADMIN, never the requester; once. Approving moves the due date." })
  decideDueDateExtension(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('approve') approve: boolean,
    @Args('note', { type: () => String, nullable: true }) note?: string | null,
  ): Promise<DueDateExtensionRequestType> {
    return this.requests.decide(actor, id, approve, note);
  }

  @Authenticated()
  @ResolveField(() => ActionItemType)
  async actionItem(request: DueDateExtensionRequestType, _args: unknown, ctx: RequestContext): Promise<ActionItemType> {
    const item = await this.loaders.item(ctx).load(request.actionItemId);
    if (!item) throw new Error(`Extension request ${request.id} belongs to a missing action item`);
    return item;
  }

  @Authenticated()
  @ResolveField(() => UserType)
  async requestedBy(request: DueDateExtensionRequestType, _args: unknown, ctx: RequestContext): Promise<UserType> {
    const user = await this.identity.user(ctx).load(request.requestedById);
    if (!user) throw new Error(`Extension request ${request.id} has a missing requester`);
    return user;
  }

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true })
  decidedBy(request: DueDateExtensionRequestType, _args: unknown, ctx: RequestContext): Promise<UserType | null> {
    return request.decidedById ? this.identity.user(ctx).load(request.decidedById) : Promise.resolve(null);
  }
}

/** ActionItem.extensionRequests lives here: the action-items library does not know requests. */
@Resolver(() => ActionItemType)
export class ActionItemExtensionRequestsResolver {
  constructor(private readonly loaders: ResponsesLoaders) {}

  @Authenticated()
  @ResolveField(() => [DueDateExtensionRequestType], { description: 'Newest first.' })
  extensionRequests(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<DueDateExtensionRequestType[]> {
    return this.loaders.requestsOfItem(ctx).load(item.id);
  }
}

/** ReliabilityReport.nudgeResponses lives here: the insights library does not know nudges. */
@Resolver(() => ReliabilityReportType)
export class ReportNudgeResponsesResolver {
  constructor(private readonly chase: ChaseRepository) {}

  @Authenticated()
  @ResolveField(() => [NudgeResponseStatsType], {
    description: "Reminders sent in [from, to) (of the filter's team, or every team), per team and ladder step: share answered within 2 days, median hours to an answer.",
  })
  async nudgeResponses(report: ReliabilityReportType): Promise<NudgeResponseStatsType[]> {
    const rows = await this.chase.nudgeAnswers(report.from, report.to, report[REPORT_TEAM_ID] ?? null);
    return nudgeResponseStats(rows, new Date()).map((s) => ({
      teamId: s.teamId, step: s.step, nudges: s.nudges, answeredWithinTwoDays: s.answeredWithinWindow, answeredShare: s.answeredShare, medianHoursToAnswer: s.medianHoursToAnswer,
    }));
  }
}

@Resolver(() => NudgeResponseStatsType)
export class NudgeResponseStatsResolver {
  constructor(private readonly identity: IdentityLoaders) {}

  @Authenticated()
  @ResolveField(() => TeamType, { nullable: true })
  team(stats: NudgeResponseStatsType, _args: unknown, ctx: RequestContext): Promise<TeamType | null> {
    return stats.teamId ? this.identity.team(ctx).load(stats.teamId) : Promise.resolve(null);
  }
}
