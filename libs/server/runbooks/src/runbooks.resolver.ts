import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { isRunbookStale, runbookReport, RunbookVerdict } from '@hindsight/domain';
import { ActionItemType } from '@hindsight/server-action-items';
import { CatalogLoaders, ServiceType } from '@hindsight/server-catalog';
import { ChaseLoaders, NudgeType, toNudge } from '@hindsight/server-chase';
import { Authenticated, Cost, CurrentActor, GqlEnum, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { IdentityLoaders, TeamType, UserType } from '@hindsight/server-identity';
import { IncidentLoaders, IncidentType } from '@hindsight/server-incidents';
import { REPORT_SCOPE, ReliabilityReportType } from '@hindsight/server-insights';
import { RunbooksRepository } from './runbooks.repository';
import { RunbooksLoaders } from './runbooks.loaders';
import { RunbooksService } from './runbooks.service';
import {
  RunbookFeedbackType,
  RunbookInput,
  RunbookReportType,
  RunbookRevisionType,
  RunbookSectionDiffType,
  RunbookServiceFiguresType,
  RunbookTeamFiguresType,
  RunbookType,
} from './runbooks.types';

@Resolver(() => RunbookType)
export class RunbooksResolver {
  constructor(
    private readonly runbookService: RunbooksService,
    private readonly loaders: RunbooksLoaders,
    private readonly catalog: CatalogLoaders,
    private readonly identity: IdentityLoaders,
  ) {}

  @Authenticated()
  @Query(() => RunbookType, { nullable: true })
  runbook(@Args('id', { type: () => ID }) id: string): Promise<RunbookType | null> {
    return this.runbookService.byId(id);
  }

  @Authenticated()
  @Query(() => [RunbookType], {
    description: 'By service, then title. stale: true lists those whose review is due (chased like overdue items); search is full-text over titles and sections (web-search syntax), best match first.',
  })
  // Full text over every runbook, ranked: priced like global search.
  @Cost(1, { whenGiven: { argument: 'search', points: 300 } })
  runbooks(
    @Args('serviceId', { type: () => ID, nullable: true }) serviceId?: string | null,
    @Args('stale', { type: () => Boolean, nullable: true }) stale?: boolean | null,
    @Args('search', { type: () => String, nullable: true }) search?: string | null,
  ): Promise<RunbookType[]> {
    return this.runbookService.list(serviceId, stale, search);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => RunbookType, { description: "By the service's team (members and manager), commanders and administrators. Revision 1." })
  createRunbook(@CurrentActor() actor: SessionActor, @Args('serviceId', { type: () => ID }) serviceId: string, @Args('input') input: RunbookInput): Promise<RunbookType> {
    return this.runbookService.create(actor, serviceId, input);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => RunbookType, {
    description:
      'Saves a new revision. A stale expectedVersion is refused with CONFLICT and extensions.currentVersion. resolvesActionItemIds completes open items addressing this runbook ("Resolved by runbook revision N"); a P0/P1 one stays open for its verification.',
  })
  updateRunbook(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('input') input: RunbookInput,
    @Args('note', { type: () => String, nullable: true }) note?: string | null,
    @Args('resolvesActionItemIds', { type: () => [ID], nullable: true }) resolvesActionItemIds?: string[] | null,
  ): Promise<RunbookType> {
    return this.runbookService.update(actor, id, expectedVersion, input, note, resolvesActionItemIds);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => RunbookType, { description: 'Confirms the runbook is still true: restarts its review clock without a new revision.' })
  markRunbookReviewed(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<RunbookType> {
    return this.runbookService.markReviewed(actor, id);
  }

  @Authenticated()
  @Mutation(() => RunbookFeedbackType, { description: 'What the runbook did for a responder in this incident. Anyone signed in (every incident is readable to them).' })
  recordRunbookFeedback(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('runbookId', { type: () => ID }) runbookId: string,
    @Args('verdict', { type: () => GqlEnum.RunbookVerdict }) verdict: RunbookVerdict,
    @Args('note', { type: () => String, nullable: true }) note?: string | null,
  ): Promise<RunbookFeedbackType> {
    return this.runbookService.recordFeedback(actor, incidentId, runbookId, verdict, note);
  }

  @Authenticated()
  @ResolveField(() => ServiceType)
  async service(runbook: RunbookType, _args: unknown, ctx: RequestContext): Promise<ServiceType> {
    const service = await this.catalog.service(ctx).load(runbook.serviceId);
    if (!service) throw new Error(`Runbook ${runbook.id} belongs to a missing service`);
    return service;
  }

  @Authenticated()
  @ResolveField(() => TeamType, { description: "The owning team: the service's." })
  async team(runbook: RunbookType, _args: unknown, ctx: RequestContext): Promise<TeamType> {
    const team = await this.identity.team(ctx).load(runbook.teamId);
    if (!team) throw new Error(`Runbook ${runbook.id} has no owning team`);
    return team;
  }

  @Authenticated()
  @ResolveField(() => Boolean, { description: 'Its review is due (reviewDueAt has passed).' })
  isStale(runbook: RunbookType): boolean {
    return isRunbookStale(runbook.reviewDueAt, new Date());
  }

  @Authenticated()
  @ResolveField(() => [RunbookRevisionType], { description: 'Newest first.' })
  revisions(runbook: RunbookType, _args: unknown, ctx: RequestContext): Promise<RunbookRevisionType[]> {
    return this.loaders.revisions(ctx).load(runbook.id);
  }

  @Authenticated()
  @ResolveField(() => RunbookRevisionType, { nullable: true, description: 'One revision as it was saved.' })
  async revision(@Parent() runbook: RunbookType, @Args('version', { type: () => Int }) version: number, @Context() ctx: RequestContext): Promise<RunbookRevisionType | null> {
    return (await this.loaders.revisions(ctx).load(runbook.id)).find((r) => r.version === version) ?? null;
  }

  @Authenticated()
  @ResolveField(() => [RunbookSectionDiffType], { description: 'What changed from one revision to another, by section (unchanged sections left out).' })
  diff(
    @Parent() runbook: RunbookType,
    @Args('fromVersion', { type: () => Int }) fromVersion: number,
    @Args('toVersion', { type: () => Int }) toVersion: number,
  ): Promise<RunbookSectionDiffType[]> {
    return this.runbookService.diff(runbook.id, fromVersion, toVersion).then((d) => d.map((s) => ({ ...s, lines: [...s.lines] })));
  }

  @Authenticated()
  @ResolveField(() => [RunbookFeedbackType], { description: 'Newest first.' })
  feedback(runbook: RunbookType, _args: unknown, ctx: RequestContext): Promise<RunbookFeedbackType[]> {
    return this.loaders.feedback(ctx).load(runbook.id);
  }

  @Authenticated()
  @ResolveField(() => [ActionItemType], { description: 'Action items addressing this runbook (addressesRunbookId): open first.' })
  actionItems(runbook: RunbookType, _args: unknown, ctx: RequestContext): Promise<ActionItemType[]> {
    return this.loaders.itemsOfRunbook(ctx).load(runbook.id);
  }
}

/** Runbook.nudges: the review reminders, from the chaser's ledger. */
@Resolver(() => RunbookType)
export class RunbookNudgesResolver {
  constructor(private readonly chase: ChaseLoaders) {}

  @Authenticated()
  @ResolveField(() => [NudgeType], { description: 'Every review reminder or escalation for it (one per recipient), oldest first.' })
  async nudges(runbook: RunbookType, _args: unknown, ctx: RequestContext): Promise<NudgeType[]> {
    return (await this.chase.nudgesOf(ctx, 'RUNBOOK').load(runbook.id)).map(toNudge);
  }
}

@Resolver(() => RunbookRevisionType)
export class RunbookRevisionsResolver {
  constructor(private readonly identity: IdentityLoaders) {}

  @Authenticated()
  @ResolveField(() => UserType)
  async editedBy(revision: RunbookRevisionType, _args: unknown, ctx: RequestContext): Promise<UserType> {
    const user = await this.identity.user(ctx).load(revision.editedById);
    if (!user) throw new Error(`Runbook revision ${revision.runbookId}/${revision.version} has a missing editor`);
    return user;
  }
}

@Resolver(() => RunbookFeedbackType)
export class RunbookFeedbackResolver {
  constructor(
    private readonly loaders: RunbooksLoaders,
    private readonly incidents: IncidentLoaders,
    private readonly identity: IdentityLoaders,
  ) {}

  @Authenticated()
  @ResolveField(() => RunbookType)
  async runbook(feedback: RunbookFeedbackType, _args: unknown, ctx: RequestContext): Promise<RunbookType> {
    const runbook = await this.loaders.runbook(ctx).load(feedback.runbookId);
    if (!runbook) throw new Error(`Runbook feedback ${feedback.id} belongs to a missing runbook`);
    return runbook;
  }

  @Authenticated()
  @ResolveField(() => IncidentType)
  async incident(feedback: RunbookFeedbackType, _args: unknown, ctx: RequestContext): Promise<IncidentType> {
    const incident = await this.incidents.incident(ctx).load(feedback.incidentId);
    if (!incident) throw new Error(`Runbook feedback ${feedback.id} belongs to a missing incident`);
    return incident;
  }

  @Authenticated()
  @ResolveField(() => UserType)
  async author(feedback: RunbookFeedbackType, _args: unknown, ctx: RequestContext): Promise<UserType> {
    const user = await this.identity.user(ctx).load(feedback.authorId);
    if (!user) throw new Error(`Runbook feedback ${feedback.id} has a missing author`);
    return user;
  }
}

/** Service.runbooks lives here: the catalog library does not know runbooks. */
@Resolver(() => ServiceType)
export class ServiceRunbooksResolver {
  constructor(private readonly loaders: RunbooksLoaders) {}

  @Authenticated()
  @ResolveField(() => [RunbookType], { description: 'By title.' })
  runbooks(service: ServiceType, _args: unknown, ctx: RequestContext): Promise<RunbookType[]> {
    return this.loaders.ofService(ctx).load(service.id);
  }
}

/** ActionItem.addressesRunbook lives here: the action-items library does not know runbooks. */
@Resolver(() => ActionItemType)
export class ActionItemRunbookResolver {
  constructor(private readonly loaders: RunbooksLoaders) {}

  @Authenticated()
  @ResolveField(() => RunbookType, { nullable: true })
  addressesRunbook(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<RunbookType | null> {
    return item.addressesRunbookId ? this.loaders.runbook(ctx).load(item.addressesRunbookId) : Promise.resolve(null);
  }
}

/** The incident page's runbook panel: the runbooks of the affected services and what responders said of them. */
@Resolver(() => IncidentType)
export class IncidentRunbooksResolver {
  constructor(private readonly loaders: RunbooksLoaders) {}

  @Authenticated()
  @ResolveField(() => [RunbookType], { description: 'Runbooks of the affected services, by service then title.' })
  runbooks(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<RunbookType[]> {
    return this.loaders.ofIncident(ctx).load(incident.id);
  }

  @Authenticated()
  @ResolveField(() => [RunbookFeedbackType], { description: 'Runbook feedback recorded for this incident, oldest first.' })
  runbookFeedback(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<RunbookFeedbackType[]> {
    return this.loaders.feedbackOfIncident(ctx).load(incident.id);
  }
}

/** ReliabilityReport.runbooks lives here: the insights library does not know runbooks. */
@Resolver(() => ReliabilityReportType)
export class ReportRunbooksResolver {
  constructor(private readonly repo: RunbooksRepository) {}

  @Authenticated()
  @ResolveField(() => RunbookReportType, { description: "Runbook coverage of the report's incidents, feedback by verdict and stale runbooks, overall, per team and per service." })
  @Cost(300)
  async runbooks(report: ReliabilityReportType): Promise<RunbookReportType> {
    const scope = report[REPORT_SCOPE] ?? { from: report.from, to: report.to };
    const facts = await this.repo.reportFacts(scope, new Date());
    const r = runbookReport(facts.pairs, facts.feedback, facts.stale);
    return { ...r, feedback: [...r.feedback], byTeam: r.byTeam.map((t) => ({ ...t, feedback: [...t.feedback] })), byService: r.byService.map((x) => ({ ...x, feedback: [...x.feedback] })) };
  }
}

@Resolver(() => RunbookTeamFiguresType)
export class RunbookTeamFiguresResolver {
  constructor(private readonly identity: IdentityLoaders) {}

  @Authenticated()
  @ResolveField(() => TeamType)
  async team(figures: RunbookTeamFiguresType, _args: unknown, ctx: RequestContext): Promise<TeamType> {
    const team = await this.identity.team(ctx).load(figures.teamId);
    if (!team) throw new Error(`Runbook figures name a missing team ${figures.teamId}`);
    return team;
  }
}

@Resolver(() => RunbookServiceFiguresType)
export class RunbookServiceFiguresResolver {
  constructor(private readonly catalog: CatalogLoaders) {}

  @Authenticated()
  @ResolveField(() => ServiceType)
  async service(figures: RunbookServiceFiguresType, _args: unknown, ctx: RequestContext): Promise<ServiceType> {
    const service = await this.catalog.service(ctx).load(figures.serviceId);
    if (!service) throw new Error(`Runbook figures name a missing service ${figures.serviceId}`);
    return service;
  }
}
