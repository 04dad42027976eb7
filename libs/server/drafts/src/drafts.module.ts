import { Module } from '@nestjs/common';
import { ChangesModule } from '@hindsight/server-changes';
import { IncidentsModule } from '@hindsight/server-incidents';
import { OutboundModule } from '@hindsight/server-outbound';
import { DraftsRepository } from './drafts.repository';
import { DraftsResolver } from './drafts.resolver';
import { DraftsService } from './drafts.service';
import { ModelClient } from './model.client';

/** Model-drafted postmortem sections (issue 26, docs/ai-drafts.md). */
@Module({
  imports: [IncidentsModule, ChangesModule, OutboundModule],
  providers: [DraftsRepository, DraftsService, ModelClient, DraftsResolver],
  exports: [DraftsService],
})
export class DraftsModule {}

export const DRAFTS_RESOLVERS = [DraftsResolver];
