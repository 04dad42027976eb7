import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { groupBy, RequestContext } from '@hindsight/server-graphql';
import { ActionItemRow, ActionItemsRepository, DueChangeRow } from './action-items.repository';

/** Per-request batch loaders for action items and their deadline history. */
@Injectable()
export class ActionItemsLoaders {
  constructor(private readonly repo: ActionItemsRepository) {}

  itemsOfIncident(ctx: RequestContext): DataLoader<string, ActionItemRow[]> {
    return ctx.loaders.batch('actionItems.ofIncident', async (ids: readonly string[]) => groupBy(ids, await this.repo.itemsOfIncidents(ids), (a) => a.incidentId));
  }

  dueChangesOfItem(ctx: RequestContext): DataLoader<string, DueChangeRow[]> {
    return ctx.loaders.batch('actionItems.dueChanges', async (ids: readonly string[]) => groupBy(ids, await this.repo.dueChangesOfItems(ids), (c) => c.actionItemId));
  }
}
