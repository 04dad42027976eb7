import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { ActionItemRow, ActionItemsService } from '@hindsight/server-action-items';
import { groupBy, indexBy, RequestContext } from '@hindsight/server-graphql';
import { ExtensionRequestRow, ExtensionRequestsRepository } from './extension-requests.repository';

/** Per-request batch loaders: extension requests of many items, and items by id. */
@Injectable()
export class WorkLoaders {
  constructor(
    private readonly requests: ExtensionRequestsRepository,
    private readonly items: ActionItemsService,
  ) {}

  requestsOfItem(ctx: RequestContext): DataLoader<string, ExtensionRequestRow[]> {
    return ctx.loaders.batch('work.requestsOfItem', async (ids: readonly string[]) => groupBy(ids, await this.requests.ofItems(ids), (r) => r.actionItemId));
  }

  item(ctx: RequestContext): DataLoader<string, ActionItemRow | null> {
    return ctx.loaders.batch('work.item', async (ids: readonly string[]) => indexBy(ids, await this.items.byIds(ids), (r) => r.id));
  }
}
