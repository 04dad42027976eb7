import { Module } from '@nestjs/common';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { ChaseModule } from '@hindsight/server-chase';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { ExtensionRequestsRepository } from './extension-requests.repository';
import { ExtensionRequestsService } from './extension-requests.service';
import { MyWorkRepository } from './my-work.repository';
import { MyWorkService } from './my-work.service';
import { WorkLoaders } from './work.loaders';
import { WorkQueueService } from './work-queue.service';
import { ActionItemExtensionRequestsResolver, ExtensionRequestsResolver, MyWorkResolver, NudgeResponseStatsResolver, ReportNudgeResponsesResolver, WorkEntryResolver } from './work.resolver';

/** Work that waits on people: what needs me (myWork and its urgency queue), due-date extension requests, and how teams answer reminders (the report's nudge responses). */
@Module({
  imports: [ActionItemsModule, ChaseModule, IdentityModule, IncidentsModule],
  providers: [ExtensionRequestsRepository, ExtensionRequestsService, MyWorkRepository, MyWorkService, WorkQueueService, WorkLoaders, MyWorkResolver, WorkEntryResolver, ExtensionRequestsResolver, ActionItemExtensionRequestsResolver, ReportNudgeResponsesResolver, NudgeResponseStatsResolver],
  exports: [ExtensionRequestsService, MyWorkService, WorkQueueService],
})
export class WorkModule {}

export const WORK_RESOLVERS = [MyWorkResolver, WorkEntryResolver, ExtensionRequestsResolver, ActionItemExtensionRequestsResolver, ReportNudgeResponsesResolver, NudgeResponseStatsResolver];
