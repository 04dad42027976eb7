import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { RequestContext } from '@hindsight/server-graphql';
import { InsightsService } from './insights.service';

/** Per-request batch loaders: a page of action items prices its ROI in a fixed number of statements. */
@Injectable()
export class InsightsLoaders {
  constructor(private readonly insights: InsightsService) {}

  roi(ctx: RequestContext): DataLoader<string, number | null> {
    return ctx.loaders.batch('insights.roi', (ids: readonly string[]) => this.insights.roi(ids));
  }
}
