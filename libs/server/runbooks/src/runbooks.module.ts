import { Module } from '@nestjs/common';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { CatalogModule } from '@hindsight/server-catalog';
import { ChaseModule } from '@hindsight/server-chase';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { SettingsModule } from '@hindsight/server-settings';
import { RunbookExportController } from './runbook-export.controller';
import { RunbooksLoaders } from './runbooks.loaders';
import { RunbooksRepository } from './runbooks.repository';
import {
  ActionItemRunbookResolver,
  IncidentRunbooksResolver,
  ReportRunbooksResolver,
  RunbookFeedbackResolver,
  RunbookNudgesResolver,
  RunbookRevisionsResolver,
  RunbookServiceFiguresResolver,
  RunbooksResolver,
  RunbookTeamFiguresResolver,
  ServiceRunbooksResolver,
} from './runbooks.resolver';
import { RunbooksService } from './runbooks.service';

/** Runbooks (issue 13): per-service, versioned, reviewed on an interval, fed back from incidents. */
@Module({
  imports: [ActionItemsModule, CatalogModule, ChaseModule, IdentityModule, IncidentsModule, SettingsModule],
  providers: [
    RunbooksRepository, RunbooksService, RunbooksLoaders,
    RunbooksResolver, RunbookNudgesResolver, RunbookRevisionsResolver, RunbookFeedbackResolver, ServiceRunbooksResolver, ActionItemRunbookResolver, IncidentRunbooksResolver,
    ReportRunbooksResolver, RunbookTeamFiguresResolver, RunbookServiceFiguresResolver,
  ],
  controllers: [RunbookExportController],
  exports: [RunbooksRepository, RunbooksService],
})
export class RunbooksModule {}

export const RUNBOOKS_RESOLVERS = [RunbooksResolver, RunbookNudgesResolver, RunbookRevisionsResolver, RunbookFeedbackResolver, ServiceRunbooksResolver, ActionItemRunbookResolver, IncidentRunbooksResolver, ReportRunbooksResolver, RunbookTeamFiguresResolver, RunbookServiceFiguresResolver];
