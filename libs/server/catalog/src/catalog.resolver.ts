import { Args, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { IdentityLoaders, TeamType } from '@hindsight/server-identity';
import { CatalogLoaders } from './catalog.loaders';
import { CatalogService } from './catalog.service';
import { CreateServiceInput, CreateSloInput, ServiceType, SloType, UpdateServiceInput } from './catalog.types';

@Resolver(() => ServiceType)
export class ServicesResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly loaders: CatalogLoaders,
    private readonly identity: IdentityLoaders,
  ) {}

  @Authenticated()
  @Query(() => [ServiceType], { description: 'Every service, by name.' })
  services(): Promise<ServiceType[]> {
    return this.catalog.list();
  }

  @RequireRole('ADMIN')
  @Mutation(() => ServiceType)
  createService(@CurrentActor() actor: SessionActor, @Args('input') input: CreateServiceInput): Promise<ServiceType> {
    return this.catalog.createService(actor, input);
  }

  @RequireRole('ADMIN')
  @Mutation(() => ServiceType)
  updateService(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateServiceInput): Promise<ServiceType> {
    return this.catalog.updateService(actor, id, input);
  }

  @Authenticated()
  @ResolveField(() => TeamType)
  async team(service: ServiceType, _args: unknown, ctx: RequestContext): Promise<TeamType> {
    const team = await this.identity.team(ctx).load(service.teamId);
    if (!team) throw new Error(`Service ${service.id} belongs to a missing team`);
    return team;
  }

  @Authenticated()
  @ResolveField(() => [SloType])
  slos(service: ServiceType, _args: unknown, ctx: RequestContext): Promise<SloType[]> {
    return this.loaders.slosOfService(ctx).load(service.id);
  }
}

@Resolver(() => SloType)
export class SlosResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly loaders: CatalogLoaders,
  ) {}

  @RequireRole('ADMIN')
  @Mutation(() => SloType)
  createSlo(@CurrentActor() actor: SessionActor, @Args('input') input: CreateSloInput): Promise<SloType> {
    return this.catalog.createSlo(actor, input);
  }

  @Authenticated()
  @ResolveField(() => ServiceType)
  async service(slo: SloType, _args: unknown, ctx: RequestContext): Promise<ServiceType> {
    const service = await this.loaders.service(ctx).load(slo.serviceId);
    if (!service) throw new Error(`SLO ${slo.id} belongs to a missing service`);
    return service;
  }
}

/** Team.services lives here: the catalogue knows services, identity does not. */
@Resolver(() => TeamType)
export class TeamServicesResolver {
  constructor(private readonly loaders: CatalogLoaders) {}

  @Authenticated()
  @ResolveField(() => [ServiceType])
  services(team: TeamType, _args: unknown, ctx: RequestContext): Promise<ServiceType[]> {
    return this.loaders.servicesOfTeam(ctx).load(team.id);
  }
}
