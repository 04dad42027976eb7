import { Module } from '@nestjs/common';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { IdentityModule } from '@hindsight/server-identity';
import { TrackersCoreModule } from './trackers-core.module';
import { TrackersLoaders } from './trackers.loaders';
import { TrackersQueueProducer } from './trackers-queue.producer';
import { ActionItemTrackerResolver, TrackerConnectionsResolver, TrackerLinkResolver } from './trackers.resolver';
import { TrackersService } from './trackers.service';
import { TrackerWebhookController } from './tracker-webhook.controller';

/** Tracker connections, links and webhooks over the API. */
@Module({
  imports: [TrackersCoreModule, IdentityModule, ActionItemsModule],
  controllers: [TrackerWebhookController],
  providers: [TrackersService, TrackersLoaders, TrackersQueueProducer, TrackerConnectionsResolver, ActionItemTrackerResolver, TrackerLinkResolver],
})
export class TrackersModule {}

export const TRACKERS_RESOLVERS = [TrackerConnectionsResolver, ActionItemTrackerResolver, TrackerLinkResolver];
