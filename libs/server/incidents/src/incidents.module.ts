import { Module } from '@nestjs/common';
import { CatalogModule } from '@hindsight/server-catalog';
import { IdentityModule } from '@hindsight/server-identity';
import { SettingsModule } from '@hindsight/server-settings';
import { AlertIngestService } from './alert-ingest.service';
import { AlertsController } from './alerts.controller';
import { AnalysisRepository } from './analysis.repository';
import { ContributingFactorsResolver, FailedSafeguardsResolver, HypothesesResolver, TimelineEventsResolver } from './analysis.resolver';
import { AnalysisService } from './analysis.service';
import { IncidentImportService } from './incident-import.service';
import { IncidentRecordService } from './incident-record.service';
import { IncidentLoaders } from './incidents.loaders';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsResolver } from './incidents.resolver';
import { IncidentsService } from './incidents.service';
import { PostmortemExportController } from './postmortem-export.controller';
import { PostmortemExportService } from './postmortem-export.service';
import { PostmortemCommentListResolver, PostmortemCommentsResolver } from './postmortem-comments.resolver';
import { PostmortemCommentsRepository } from './postmortem-comments.repository';
import { PostmortemCommentsService } from './postmortem-comments.service';
import { PostmortemRevisionsResolver, PostmortemsResolver, ReviewsResolver } from './postmortems.resolver';
import { PostmortemsRepository } from './postmortems.repository';
import { PostmortemsService } from './postmortems.service';

export const INCIDENTS_RESOLVERS = [
  IncidentsResolver, TimelineEventsResolver, HypothesesResolver, ContributingFactorsResolver, FailedSafeguardsResolver,
  PostmortemsResolver, ReviewsResolver, PostmortemRevisionsResolver, PostmortemCommentsResolver, PostmortemCommentListResolver,
];

@Module({
  imports: [IdentityModule, CatalogModule, SettingsModule],
  controllers: [PostmortemExportController, AlertsController],
  providers: [
    IncidentsRepository, AnalysisRepository, PostmortemsRepository, PostmortemCommentsRepository,
    IncidentsService, AnalysisService, PostmortemsService, PostmortemCommentsService, PostmortemExportService, IncidentImportService, AlertIngestService, IncidentLoaders, IncidentRecordService,
    ...INCIDENTS_RESOLVERS,
  ],
  exports: [IncidentLoaders, IncidentsRepository, AnalysisRepository, AnalysisService, IncidentsService, PostmortemsRepository, PostmortemsService, PostmortemExportService, IncidentImportService, IncidentRecordService],
})
export class IncidentsModule {}
