import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { indexBy, RequestContext } from '@hindsight/server-graphql';
import { ConnectionRow, LinkRow, TrackersRepository } from './trackers.repository';

/** Per-request batch loaders: the links of a page of items, their connections, in one query each. */
@Injectable()
export class TrackersLoaders {
  constructor(private readonly repo: TrackersRepository) {}

  linkOfItem(ctx: RequestContext): DataLoader<string, LinkRow | null> {
    return ctx.loaders.batch('trackers.linkOfItem', async (ids: readonly string[]) => indexBy(ids, await this.repo.linksByItemIds(ids), (l) => l.actionItemId));
  }

  connection(ctx: RequestContext): DataLoader<string, ConnectionRow | null> {
    return ctx.loaders.batch('trackers.connection', async (ids: readonly string[]) => indexBy(ids, await this.repo.connectionsByIds(ids), (c) => c.id));
  }
}
