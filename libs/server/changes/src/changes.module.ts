import { Module } from '@nestjs/common';
import { CatalogModule } from '@hindsight/server-catalog';
import { SecretBoxModule } from '@hindsight/server-common';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { ChangeIngestController } from './change-ingest.controller';
import { ChangeIngestService } from './change-ingest.service';
import { ChangeSourcesService } from './change-sources.service';
import { ChangesLoaders } from './changes.loaders';
import { ChangesRepository } from './changes.repository';
import { ChangeSourcesResolver, ChangesResolver, IncidentChangesResolver, ServiceAliasesResolver } from './changes.resolver';
import { ChangesService } from './changes.service';
import { IncidentChangesService } from './incident-changes.service';
import { ServiceAliasesService } from './service-aliases.service';

export const CHANGES_RESOLVERS = [ChangesResolver, IncidentChangesResolver, ServiceAliasesResolver, ChangeSourcesResolver];

/** Changes (issue 25): deploys in, matched to services, listed and linked on incidents. */
@Module({
  imports: [CatalogModule, IdentityModule, IncidentsModule, SecretBoxModule],
  controllers: [ChangeIngestController],
  providers: [ChangesRepository, ChangesService, ChangeIngestService, ChangeSourcesService, IncidentChangesService, ServiceAliasesService, ChangesLoaders, ...CHANGES_RESOLVERS],
  exports: [ChangesRepository, ChangesService],
})
export class ChangesModule {}
