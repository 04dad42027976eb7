import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { groupBy, indexBy, RequestContext } from '@hindsight/server-graphql';
import { CatalogRepository, ServiceRow, SloRow } from './catalog.repository';

/** Per-request batch loaders for services and SLOs; any feature may use them for its fields. */
@Injectable()
export class CatalogLoaders {
  constructor(private readonly repo: CatalogRepository) {}

  service(ctx: RequestContext): DataLoader<string, ServiceRow | null> {
    return ctx.loaders.batch('catalog.service', async (ids: readonly string[]) => indexBy(ids, await this.repo.servicesByIds(ids), (s) => s.id));
  }

  servicesOfTeam(ctx: RequestContext): DataLoader<string, ServiceRow[]> {
    return ctx.loaders.batch('catalog.servicesOfTeam', async (ids: readonly string[]) => groupBy(ids, await this.repo.servicesOfTeams(ids), (s) => s.teamId));
  }

  slosOfService(ctx: RequestContext): DataLoader<string, SloRow[]> {
    return ctx.loaders.batch('catalog.slosOfService', async (ids: readonly string[]) => groupBy(ids, await this.repo.slosOfServices(ids), (o) => o.serviceId));
  }
}
