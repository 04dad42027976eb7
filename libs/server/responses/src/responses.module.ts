import { Module } from '@nestjs/common';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { ChaseModule } from '@hindsight/server-chase';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { ExtensionRequestsRepository } from './extension-requests.repository';
import { ExtensionRequestsService } from './extension-requests.service';
import { MyWorkRepository } from './my-work.repository';
import { MyWorkService } from './my-work.service';
import { ResponsesLoaders } from './responses.loaders';
import { ActionItemExtensionRequestsResolver, ExtensionRequestsResolver, MyWorkResolver, NudgeResponseStatsResolver, ReportNudgeResponsesResolver, WorkEntryResolver } from './responses.resolver';

/** Answering nudges: what needs me (myWork), due-date extension requests, and how teams answer (the report's nudge responses). */
@Module({
  imports: [ActionItemsModule, ChaseModule, IdentityModule, IncidentsModule],
  providers: [ExtensionRequestsRepository, ExtensionRequestsService, MyWorkRepository, MyWorkService, ResponsesLoaders, MyWorkResolver, WorkEntryResolver, ExtensionRequestsResolver, ActionItemExtensionRequestsResolver, ReportNudgeResponsesResolver, NudgeResponseStatsResolver],
})
export class ResponsesModule {}

export const RESPONSES_RESOLVERS = [MyWorkResolver, WorkEntryResolver, ExtensionRequestsResolver, ActionItemExtensionRequestsResolver, ReportNudgeResponsesResolver, NudgeResponseStatsResolver];
