import { Args, Context, Float, ID, Int, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { incidentCost, incidentDurations } from '@hindsight/domain';
import { badInput } from '@hindsight/server-common';
import { Authenticated, Cost, CurrentActor, preload, RequestContext, RequireRole, selectedFields, SessionActor } from '@hindsight/server-graphql';
import { CatalogLoaders, ServiceRow, ServiceType } from '@hindsight/server-catalog';
import { IdentityLoaders, UserType } from '@hindsight/server-identity';
import { ContributingFactorType, FailedSafeguardType, HypothesisType, TimelineEventType } from './analysis.types';
import { IncidentLoaders } from './incidents.loaders';
import { IncidentsService } from './incidents.service';
import { CreateIncidentInput, IncidentConnectionType, IncidentFilterInput, IncidentType, UpdateIncidentInput } from './incidents.types';
import { PostmortemType } from './postmortems.types';

@Resolver(() => IncidentType)
export class IncidentsResolver {
  constructor(
    private readonly service: IncidentsService,
    private readonly loaders: IncidentLoaders,
    private readonly catalog: CatalogLoaders,
    private readonly identity: IdentityLoaders,
  ) {}

  @Authenticated()
  @Query(() => IncidentType, { nullable: true, description: 'One incident by id or by reference (INC-<n>); null when there is none.' })
  async incident(
    @Context() ctx: RequestContext,
    @Args('id', { type: () => ID, nullable: true }) id?: string | null,
    @Args('reference', { type: () => String, nullable: true }) reference?: string | null,
  ): Promise<IncidentType | null> {
    if (!id && !reference) throw badInput('id', 'pass the id or the reference of the incident');
    const incident = id ? await this.service.byId(id) : await this.service.byReference(reference ?? '');
    // Fields that lead back to this incident (postmortem.incident) then cost no statement.
    if (incident) this.loaders.incident(ctx).prime(incident.id, incident);
    return incident;
  }

  @Authenticated()
  @Query(() => IncidentConnectionType, { description: 'Newest first (startedAt, then id, descending); page with after = pageInfo.endCursor.' })
  // A search matches every incident holding a word before the page is cut: 3–5 s for a common
  // word at 200,000 incidents (issue 22 probe), so it costs the reliability report's 1,000.
  @Cost(1, { whenGiven: { argument: 'filter.search', points: 1000 } })
  async incidents(
    @Context() ctx: RequestContext,
    @Args('filter', { type: () => IncidentFilterInput, nullable: true }) filter?: IncidentFilterInput | null,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–100 (25 by default).' }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<IncidentConnectionType> {
    const page = await this.service.list(filter, first, after);
    for (const incident of page.nodes) this.loaders.incident(ctx).prime(incident.id, incident);
    return page;
  }

  @RequireRole('COMMANDER')
  @Mutation(() => IncidentType, { description: 'Declares an incident; its postmortem is created with it, in DRAFT.' })
  createIncident(@CurrentActor() actor: SessionActor, @Args('input') input: CreateIncidentInput): Promise<IncidentType> {
    return this.service.create(actor, input);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => IncidentType)
  updateIncident(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateIncidentInput): Promise<IncidentType> {
    return this.service.update(actor, id, input);
  }

  @Authenticated()
  @ResolveField(() => [ServiceType])
  async services(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<ServiceType[]> {
    const links = await this.loaders.serviceLinks(ctx).load(incident.id);
    const services = await this.catalog.service(ctx).loadMany(links.map((l) => l.serviceId));
    return services.filter((s): s is ServiceRow => s !== null && !(s instanceof Error));
  }

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true })
  commander(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<UserType | null> {
    return incident.commanderId ? this.identity.user(ctx).load(incident.commanderId) : Promise.resolve(null);
  }

  @Authenticated()
  @ResolveField(() => Float, { nullable: true, description: 'startedAt → detectedAt, in minutes.' })
  timeToDetectMinutes(incident: IncidentType): number | null {
    return incidentDurations(incident).timeToDetectMinutes;
  }

  @Authenticated()
  @ResolveField(() => Float, { nullable: true, description: 'startedAt → acknowledgedAt, in minutes.' })
  timeToAcknowledgeMinutes(incident: IncidentType): number | null {
    return incidentDurations(incident).timeToAcknowledgeMinutes;
  }

  @Authenticated()
  @ResolveField(() => Float, { nullable: true, description: 'startedAt → mitigatedAt, in minutes.' })
  timeToMitigateMinutes(incident: IncidentType): number | null {
    return incidentDurations(incident).timeToMitigateMinutes;
  }

  @Authenticated()
  @ResolveField(() => Float, { nullable: true, description: 'startedAt → resolvedAt, in minutes.' })
  timeToResolveMinutes(incident: IncidentType): number | null {
    return incidentDurations(incident).timeToResolveMinutes;
  }

  @Authenticated()
  @ResolveField(() => Float, {
    nullable: true,
    description: 'PRODUCT.md 5: outage minutes (to mitigation, else resolution, else now) × the services\' revenue per minute × impact fraction + responder hours × hourly rate + SLA credits.',
  })
  async cost(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<number> {
    const [links, policies] = await Promise.all([this.loaders.serviceLinks(ctx).load(incident.id), this.loaders.policies(ctx)]);
    return incidentCost(
      {
        times: incident,
        revenuePerMinuteOfAffectedServices: links.map((l) => l.revenuePerMinute),
        impactFraction: incident.impactFraction,
        responderHours: incident.responderHours,
        hourlyRate: policies.hourlyResponderRate,
        slaCredits: incident.slaCredits,
      },
      new Date(),
    );
  }

  @Authenticated()
  @ResolveField(() => Boolean, { description: 'PRODUCT.md 5: one of its services had an incident with a factor of the same category in the previous 90 days.' })
  isRepeat(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<boolean> {
    return this.loaders.isRepeat(ctx).load(incident.id);
  }

  @Authenticated()
  @ResolveField(() => [TimelineEventType], { description: 'In occurredAt order.' })
  async timeline(incident: IncidentType, _args: unknown, ctx: RequestContext, info: GraphQLResolveInfo): Promise<TimelineEventType[]> {
    const events = await this.loaders.timeline(ctx).load(incident.id);
    if (selectedFields(info).has('author')) await preload(this.identity.user(ctx), events, (e) => e.authorId);
    return events;
  }

  @Authenticated()
  @ResolveField(() => [HypothesisType])
  hypotheses(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<HypothesisType[]> {
    return this.loaders.hypotheses(ctx).load(incident.id);
  }

  @Authenticated()
  @ResolveField(() => [ContributingFactorType], { description: 'The trigger first.' })
  contributingFactors(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<ContributingFactorType[]> {
    return this.loaders.factors(ctx).load(incident.id);
  }

  @Authenticated()
  @ResolveField(() => [FailedSafeguardType])
  failedSafeguards(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<FailedSafeguardType[]> {
    return this.loaders.safeguards(ctx).load(incident.id);
  }

  @Authenticated()
  @ResolveField(() => PostmortemType, { nullable: true })
  postmortem(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<PostmortemType | null> {
    return this.loaders.postmortem(ctx).load(incident.id);
  }
}
