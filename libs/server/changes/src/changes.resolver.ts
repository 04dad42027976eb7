import { Args, Extensions, GraphQLISODateTime, ID, Int, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DEFAULT_CHANGE_WINDOW_MINUTES, MAX_CHANGES_BEFORE_DETECTION, type ChangeRole } from '@hindsight/domain';
import { CatalogLoaders, ServiceType } from '@hindsight/server-catalog';
import { Authenticated, CurrentActor, GqlEnum, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { IncidentType } from '@hindsight/server-incidents';
import { ChangeSourcesService } from './change-sources.service';
import { ChangesLoaders } from './changes.loaders';
import { ChangesService, MAX_CHANGES_PAGE } from './changes.service';
import { ChangeSourceInput, ChangeSourceType, ChangeType, CreatedChangeSourceType, IncidentChangeType } from './changes.types';
import { IncidentChangesService } from './incident-changes.service';
import { ServiceAliasesService } from './service-aliases.service';

@Resolver(() => ChangeType)
export class ChangesResolver {
  constructor(
    private readonly changeList: ChangesService,
    private readonly catalog: CatalogLoaders,
  ) {}

  @Authenticated()
  @Query(() => [ChangeType], { description: 'Changes, newest finish first: of one service, or unmatched ones (no service has their name yet: add an alias). from ≤ finishedAt < to. Page with after = the id of the last change of the previous page.' })
  changes(
    @Args('serviceId', { type: () => ID, nullable: true }) serviceId?: string | null,
    @Args('from', { type: () => GraphQLISODateTime, nullable: true }) from?: Date | null,
    @Args('to', { type: () => GraphQLISODateTime, nullable: true }) to?: Date | null,
    @Args('first', { type: () => Int, nullable: true, description: `Page size, 1–${MAX_CHANGES_PAGE} (50 by default).` }) first?: number | null,
    @Args('after', { type: () => ID, nullable: true }) after?: string | null,
    @Args('unmatched', { type: () => Boolean, nullable: true, description: 'Only changes no service or alias has matched.' }) unmatched?: boolean | null,
  ): Promise<ChangeType[]> {
    return this.changeList.list({ serviceId, from, to, first, after, unmatched });
  }

  @Authenticated()
  @ResolveField(() => ServiceType, { nullable: true, description: 'The service whose name or alias is serviceName; null while none is.' })
  service(change: ChangeType, _args: unknown, ctx: RequestContext): Promise<ServiceType | null> {
    return change.serviceId ? this.catalog.service(ctx).load(change.serviceId) : Promise.resolve(null);
  }
}

/** Incident.changesBeforeDetection and the commander's links live here: the incidents library does not know changes. */
@Resolver(() => IncidentType)
export class IncidentChangesResolver {
  constructor(
    private readonly loaders: ChangesLoaders,
    private readonly links: IncidentChangesService,
  ) {}

  @Authenticated()
  @Extensions({ listSize: MAX_CHANGES_BEFORE_DETECTION })
  @ResolveField(() => [IncidentChangeType], {
    description: `Production changes to the affected services that finished in the changeWindowMinutes up to detection (the start while not detected), both ends included, newest first (at most ${MAX_CHANGES_BEFORE_DETECTION}); and every change linked to the incident, wherever it falls.`,
  })
  async changesBeforeDetection(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<IncidentChangeType[]> {
    const rows = await this.loaders.beforeDetection(ctx).load(incident.id);
    return rows.map(({ incidentId: _incident, role, ...change }) => ({ change, role }));
  }

  @Authenticated()
  @ResolveField(() => Int, { description: `How far before detection changesBeforeDetection looks, in minutes (${DEFAULT_CHANGE_WINDOW_MINUTES} unless set).` })
  async changeWindowMinutes(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<number> {
    return (await this.loaders.windowMinutes(ctx).load(incident.id)) ?? DEFAULT_CHANGE_WINDOW_MINUTES;
  }

  @RequireRole('COMMANDER')
  @Mutation(() => IncidentType, {
    description:
      'Marks a change as what triggered the incident (one per incident: CONFLICT while another is) or as contributing; calling it again with the other role moves it. The change becomes a CHANGE event on the timeline, with its link (the triggering cause\'s evidence).',
  })
  linkChangeToIncident(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('changeId', { type: () => ID }) changeId: string,
    @Args('role', { type: () => GqlEnum.ChangeRole }) role: ChangeRole,
  ): Promise<IncidentType> {
    return this.links.link(actor, incidentId, changeId, role);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => IncidentType, { description: 'Takes a linked change off the incident and its CHANGE event off the timeline; a change not linked changes nothing.' })
  unlinkChangeFromIncident(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('changeId', { type: () => ID }) changeId: string,
  ): Promise<IncidentType> {
    return this.links.unlink(actor, incidentId, changeId);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => IncidentType, { description: `How far before detection to look for changes: 1 to 10080 minutes (a week); null for the default ${DEFAULT_CHANGE_WINDOW_MINUTES}.` })
  setIncidentChangeWindow(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('minutes', { type: () => Int, nullable: true }) minutes?: number | null,
  ): Promise<IncidentType> {
    return this.links.setWindow(actor, incidentId, minutes ?? null);
  }
}

/** Service.aliases lives here: the catalogue does not know deploy names. */
@Resolver(() => ServiceType)
export class ServiceAliasesResolver {
  constructor(
    private readonly loaders: ChangesLoaders,
    private readonly aliasService: ServiceAliasesService,
  ) {}

  @Authenticated()
  @ResolveField(() => [String], { description: 'Other names deploys use for this service (matched ignoring case), alphabetical.' })
  aliases(service: ServiceType, _args: unknown, ctx: RequestContext): Promise<string[]> {
    return this.loaders.aliases(ctx).load(service.id);
  }

  @RequireRole('ADMIN')
  @Mutation(() => ServiceType, {
    description: "Replaces the service's aliases. An alias may not be a service's name or another service's alias. Unmatched changes of a new alias take this service; changes of a removed alias become unmatched again.",
  })
  setServiceAliases(
    @CurrentActor() actor: SessionActor,
    @Args('serviceId', { type: () => ID }) serviceId: string,
    @Args('aliases', { type: () => [String] }) aliases: string[],
  ): Promise<ServiceType> {
    return this.aliasService.setAliases(actor, serviceId, aliases);
  }
}

@Resolver(() => ChangeSourceType)
export class ChangeSourcesResolver {
  constructor(private readonly sources: ChangeSourcesService) {}

  @RequireRole('ADMIN')
  @Query(() => [ChangeSourceType], { description: 'GitHub and GitLab senders of change webhooks, by name.' })
  changeSources(): Promise<ChangeSourceType[]> {
    return this.sources.list();
  }

  @RequireRole('ADMIN')
  @Mutation(() => CreatedChangeSourceType, { description: 'A sender of signed change webhooks; its secret is generated and shown this once.' })
  createChangeSource(@CurrentActor() actor: SessionActor, @Args('input') input: ChangeSourceInput): Promise<CreatedChangeSourceType> {
    return this.sources.create(actor, input);
  }

  @RequireRole('ADMIN')
  @Mutation(() => CreatedChangeSourceType, { description: 'A new secret, shown this once; webhooks signed with the old one are refused from now on.' })
  rotateChangeSourceSecret(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<CreatedChangeSourceType> {
    return this.sources.rotateSecret(actor, id);
  }

  @RequireRole('ADMIN')
  @Mutation(() => ID, { description: 'Its webhooks are refused from now on; the changes it sent stay.' })
  deleteChangeSource(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<string> {
    return this.sources.delete(actor, id);
  }
}
