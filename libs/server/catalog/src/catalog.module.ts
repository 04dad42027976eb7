import { Module } from '@nestjs/common';
import { IdentityModule } from '@hindsight/server-identity';
import { CatalogLoaders } from './catalog.loaders';
import { CatalogRepository } from './catalog.repository';
import { ServicesResolver, SlosResolver, TeamServicesResolver } from './catalog.resolver';
import { CatalogService } from './catalog.service';

@Module({
  imports: [IdentityModule],
  providers: [CatalogRepository, CatalogService, CatalogLoaders, ServicesResolver, SlosResolver, TeamServicesResolver],
  exports: [CatalogLoaders, CatalogRepository, CatalogService],
})
export class CatalogModule {}

export const CATALOG_RESOLVERS = [ServicesResolver, SlosResolver, TeamServicesResolver];
