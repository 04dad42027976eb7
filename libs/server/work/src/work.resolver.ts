import { Args, GraphQLISODateTime, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ActionItemType } from '@hindsight/server-action-items';
import { ChaseService } from '@hindsight/server-chase';
import { REPORT_TEAM_ID, ReliabilityReportType } from '@hindsight/server-insights';
import { Authenticated, Cost, CurrentActor, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { IdentityLoaders, TeamType, UserType } from '@hindsight/server-identity';
import { IncidentLoaders, IncidentType, PostmortemType } from '@hindsight/server-incidents';
import { ExtensionRequestsService } from './extension-requests.service';
import { MyWorkService } from './my-work.service';
import { WorkLoaders } from './work.loaders';
import { WorkQueueService } from './work-queue.service';
import { DueDateExtensionRequestType, MyWorkType, NudgeResponseStatsType, WorkEntryType } from './work.types';

@Resolver(() => MyWorkType)
export class MyWorkResolver {
  constructor(
    private readonly work: MyWorkService,
    private readonly queues: WorkQueueService,
  ) {}

  @Authenticated()
  @Query(() => MyWorkType, { description: 'What needs the signed-in person now (the home page).' })
  @Cost(100)
  myWork(@CurrentActor() actor: SessionActor): Promise<MyWorkType> {
    return this.work.forActor(actor);
  }

  @Authenticated()
  @ResolveField(() => [WorkEntryType], {
    description:
      'Everything in the lists above as one queue, by the home urgency rule (PRODUCT.md 5; see WorkUrgency): each thing once, with the reason it is there, ' +
      'whose it is and only the answers this person may give.',
  })
  queue(work: MyWorkType, _args: unknown, ctx: RequestContext): Promise<WorkEntryType[]> {
    return this.queues.queueOf(work.source, ctx);
  }
}

/** A home entry's rows are already read; whose it is comes from the identity batches. */
@Resolver(() => WorkEntryType)
export class WorkEntryResolver {
  constructor(
    private readonly identity: IdentityLoaders,
    private readonly incidents: IncidentLoaders,
  ) {}

  @Authenticated()
  @ResolveField(() => ActionItemType, { nullable: true, description: 'The action item (ACTION_ITEM, and the item an EXTENSION_REQUEST is about).' })
  actionItem(entry: WorkEntryType): ActionItemType | null {
    return entry.actionItemRow;
  }

  @Authenticated()
  @ResolveField(() => DueDateExtensionRequestType, { nullable: true })
  extensionRequest(entry: WorkEntryType): DueDateExtensionRequestType | null {
    return entry.requestRow;
  }

  @Authenticated()
  @ResolveField(() => PostmortemType, { nullable: true })
  postmortem(entry: WorkEntryType): PostmortemType | null {
    return entry.postmortemRow;
  }

  @Authenticated()
  @ResolveField(() => IncidentType, { nullable: true, description: 'The incident it belongs to.' })
  incident(entry: WorkEntryType, _args: unknown, ctx: RequestContext): IncidentType | null | Promise<IncidentType | null> {
    if (entry.incidentRow) return entry.incidentRow;
    return entry.incidentId ? this.incidents.incident(ctx).load(entry.incidentId) : null;
  }

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true, description: "Whose it is: the item's assignee (null: nobody has taken it), the incident's commander." })
  owner(entry: WorkEntryType, _args: unknown, ctx: RequestContext): Promise<UserType | null> {
    return entry.ownerId ? this.identity.user(ctx).load(entry.ownerId) : Promise.resolve(null);
  }

  @Authenticated()
  @ResolveField(() => TeamType, { nullable: true, description: "The item's owning team." })
  team(entry: WorkEntryType, _args: unknown, ctx: RequestContext): Promise<TeamType | null> {
    return entry.teamId ? this.identity.team(ctx).load(entry.teamId) : Promise.resolve(null);
  }
}

@Resolver(() => DueDateExtensionRequestType)
export class ExtensionRequestsResolver {
  constructor(
    private readonly requests: ExtensionRequestsService,
    private readonly loaders: WorkLoaders,
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
  constructor(private readonly loaders: WorkLoaders) {}

  @Authenticated()
  @ResolveField(() => [DueDateExtensionRequestType], { description: 'Newest first.' })
  extensionRequests(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<DueDateExtensionRequestType[]> {
    return this.loaders.requestsOfItem(ctx).load(item.id);
  }
}

/** ReliabilityReport.nudgeResponses lives here: the insights library does not know nudges. */
@Resolver(() => ReliabilityReportType)
export class ReportNudgeResponsesResolver {
  constructor(private readonly chase: ChaseService) {}

  @Authenticated()
  @ResolveField(() => [NudgeResponseStatsType], {
    description: "Reminders sent in [from, to) (of the filter's team, or every team), per team and ladder step: share answered within 2 days, median hours to an answer.",
  })
  @Cost(200)
  async nudgeResponses(report: ReliabilityReportType): Promise<NudgeResponseStatsType[]> {
    const stats = await this.chase.nudgeResponses(report.from, report.to, report[REPORT_TEAM_ID] ?? null, new Date());
    return stats.map((s) => ({
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
