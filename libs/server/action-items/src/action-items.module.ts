import { Module } from '@nestjs/common';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { SettingsModule } from '@hindsight/server-settings';
import { ActionItemsLoaders } from './action-items.loaders';
import { ActionItemsRepository } from './action-items.repository';
import { ActionItemDueChangesResolver, ActionItemsResolver, IncidentActionItemsResolver } from './action-items.resolver';
import { ActionItemsService } from './action-items.service';

@Module({
  imports: [IdentityModule, IncidentsModule, SettingsModule],
  providers: [ActionItemsRepository, ActionItemsService, ActionItemsLoaders, ActionItemsResolver, ActionItemDueChangesResolver, IncidentActionItemsResolver],
  exports: [ActionItemsLoaders, ActionItemsRepository, ActionItemsService],
})
export class ActionItemsModule {}

export const ACTION_ITEMS_RESOLVERS = [ActionItemsResolver, ActionItemDueChangesResolver, IncidentActionItemsResolver];
