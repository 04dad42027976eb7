import { Module } from '@nestjs/common';
import { ActionItemsCoreModule } from '@hindsight/server-action-items';
import { AuditCoreModule } from '@hindsight/server-audit';
import { SecretBoxModule } from '@hindsight/server-common';
import { OutboundModule } from '@hindsight/server-outbound';
import { TrackerSyncService } from './tracker-sync.service';
import { TrackersRepository } from './trackers.repository';

/** Tracker sync's data access and both directions, shared by the worker and the API. */
@Module({
  // The audit log and action items without their resolvers: the worker has no GraphQL.
  imports: [ActionItemsCoreModule, AuditCoreModule, OutboundModule, SecretBoxModule],
  providers: [TrackersRepository, TrackerSyncService],
  exports: [ActionItemsCoreModule, OutboundModule, TrackersRepository, TrackerSyncService, SecretBoxModule],
})
export class TrackersCoreModule {}
