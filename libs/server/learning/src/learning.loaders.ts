import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { ChecklistEntry, FixOutcome, SimilarityMatch } from '@hindsight/domain';
import { CatalogLoaders } from '@hindsight/server-catalog';
import { RequestContext } from '@hindsight/server-graphql';
import { NamedThemeRow } from './learning.repository';
import { LearningService } from './learning.service';

/** Per-request batches: a page of incidents, items or postmortems costs the same few statements for these fields. */
@Injectable()
export class LearningLoaders {
  constructor(
    private readonly learning: LearningService,
    private readonly catalog: CatalogLoaders,
  ) {}

  similar(ctx: RequestContext): DataLoader<string, SimilarityMatch[]> {
    return ctx.loaders.batch('learning.similar', (ids: readonly string[]) =>
      this.learning.similar(ids, async (serviceIds) => {
        const rows = await this.catalog.service(ctx).loadMany(serviceIds);
        return new Map(rows.flatMap((r) => (r && !(r instanceof Error) ? [[r.id, r.name] as const] : [])));
      }),
    );
  }

  fixOutcome(ctx: RequestContext): DataLoader<string, FixOutcome | null> {
    return ctx.loaders.batch('learning.fixOutcome', (ids: readonly string[]) => this.learning.fixOutcomes(ids));
  }

  checklist(ctx: RequestContext): DataLoader<string, ChecklistEntry[]> {
    return ctx.loaders.batch('learning.checklist', (ids: readonly string[]) => this.learning.checklists(ids));
  }

  namedThemes(ctx: RequestContext): DataLoader<string, NamedThemeRow[]> {
    return ctx.loaders.batch('learning.namedThemes', (ids: readonly string[]) => this.learning.themesOfIncidents(ids));
  }
}
