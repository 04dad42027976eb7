import { Module } from '@nestjs/common';
import { IdentityModule } from '@hindsight/server-identity';
import { ChaseCoreModule } from './chase-core.module';
import { ChaseLoaders } from './chase.loaders';
import { ChaseQueueProducer } from './chase-queue.producer';
import { ChaseService } from './chase.service';
import { ActionItemNudgesResolver, ChaseResolver, EscalationStepsResolver, NotificationChannelsResolver, NudgeActionsResolver, PostmortemNudgesResolver } from './chase.resolver';
import { EscalationService } from './escalation.service';
import { ChannelsService } from './channels.service';

/** The chaser's API: channels, runChaseNow, and the nudges of action items and postmortems. */
@Module({
  imports: [ChaseCoreModule, IdentityModule],
  providers: [ChannelsService, ChaseService, EscalationService, ChaseLoaders, ChaseQueueProducer, NotificationChannelsResolver, ChaseResolver, ActionItemNudgesResolver, PostmortemNudgesResolver, NudgeActionsResolver, EscalationStepsResolver],
  exports: [ChaseCoreModule, ChaseService, ChaseQueueProducer, ChaseLoaders],
})
export class ChaseModule {}

export const CHASE_RESOLVERS = [NotificationChannelsResolver, ChaseResolver, ActionItemNudgesResolver, PostmortemNudgesResolver, NudgeActionsResolver, EscalationStepsResolver];
