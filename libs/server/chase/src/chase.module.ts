import { Module } from '@nestjs/common';
import { IdentityModule } from '@hindsight/server-identity';
import { ChaseCoreModule } from './chase-core.module';
import { ChaseLoaders } from './chase.loaders';
import { ChaseQueueProducer } from './chase-queue.producer';
import { ActionItemNudgesResolver, ChaseResolver, NotificationChannelsResolver, NudgeActionsResolver, PostmortemNudgesResolver } from './chase.resolver';
import { ChannelsService } from './channels.service';

/** The chaser's API: channels, runChaseNow, and the nudges of action items and postmortems. */
@Module({
  imports: [ChaseCoreModule, IdentityModule],
  providers: [ChannelsService, ChaseLoaders, ChaseQueueProducer, NotificationChannelsResolver, ChaseResolver, ActionItemNudgesResolver, PostmortemNudgesResolver, NudgeActionsResolver],
  exports: [ChaseCoreModule, ChaseQueueProducer, ChaseLoaders],
})
export class ChaseModule {}

export const CHASE_RESOLVERS = [NotificationChannelsResolver, ChaseResolver, ActionItemNudgesResolver, PostmortemNudgesResolver, NudgeActionsResolver];
