import { Module } from '@nestjs/common';
import { AuditCoreModule } from '@hindsight/server-audit';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { SettingsCoreModule } from '@hindsight/server-settings';
import { ActionItemsLoaders } from './action-items.loaders';
import { ActionItemsRepository } from './action-items.repository';
import { ActionItemDueChangesResolver, ActionItemsResolver, IncidentActionItemsResolver } from './action-items.resolver';
import { ActionItemsService } from './action-items.service';
import { OpenItemsAdapter } from './open-items.adapter';

/**
 * Action items without GraphQL: the service every other room writes items through, in the
 * API and in the worker (tracker sync).
 */
@Module({
  imports: [AuditCoreModule, SettingsCoreModule],
  providers: [ActionItemsRepository, ActionItemsService],
  // The repository is exported only for InsightsService, which another branch is moving onto the service.
  exports: [ActionItemsRepository, ActionItemsService],
})
export class ActionItemsCoreModule {}

@Module({
  imports: [ActionItemsCoreModule, IdentityModule, IncidentsModule],
  providers: [ActionItemsLoaders, OpenItemsAdapter, ActionItemsResolver, ActionItemDueChangesResolver, IncidentActionItemsResolver],
  exports: [ActionItemsCoreModule, ActionItemsLoaders],
})
export class ActionItemsModule {}

export const ACTION_ITEMS_RESOLVERS = [ActionItemsResolver, ActionItemDueChangesResolver, IncidentActionItemsResolver];
