import { Module } from '@nestjs/common';
import { AuditRepository } from '@hindsight/server-audit';
import { OutboundModule } from '@hindsight/server-outbound';
import { SecretBox } from './secret-box';
import { SECRET_BOX, TrackerSyncService } from './tracker-sync.service';
import { TrackersRepository } from './trackers.repository';

/** Tracker sync's data access and both directions, shared by the worker and the API. */
@Module({
  imports: [OutboundModule],
  // Its own AuditRepository (stateless): the worker has no AuditModule, whose resolver needs GraphQL.
  providers: [AuditRepository, TrackersRepository, TrackerSyncService, { provide: SECRET_BOX, useFactory: () => SecretBox.forProcess() }],
  exports: [OutboundModule, TrackersRepository, TrackerSyncService, SECRET_BOX],
})
export class TrackersCoreModule {}
