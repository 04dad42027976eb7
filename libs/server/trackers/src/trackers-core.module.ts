import { Module } from '@nestjs/common';
import { AuditRepository } from '@hindsight/server-audit';
import { SecretBoxModule } from '@hindsight/server-common';
import { OutboundModule } from '@hindsight/server-outbound';
import { TrackerSyncService } from './tracker-sync.service';
import { TrackersRepository } from './trackers.repository';

/** Tracker sync's data access and both directions, shared by the worker and the API. */
@Module({
  imports: [OutboundModule, SecretBoxModule],
  // Its own AuditRepository (stateless): the worker has no AuditModule, whose resolver needs GraphQL.
  providers: [AuditRepository, TrackersRepository, TrackerSyncService],
  exports: [OutboundModule, TrackersRepository, TrackerSyncService, SecretBoxModule],
})
export class TrackersCoreModule {}
