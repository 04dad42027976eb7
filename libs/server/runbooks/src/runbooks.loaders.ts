import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { ActionItemRow, ActionItemsService } from '@hindsight/server-action-items';
import { groupBy, indexBy, RequestContext } from '@hindsight/server-graphql';
import { RunbookFeedbackRow, RunbookRevisionRow, RunbookRow, RunbooksRepository } from './runbooks.repository';

/** Per-request batch loaders: runbooks by id, of services and incidents; their revisions, feedback and linked items. */
@Injectable()
export class RunbooksLoaders {
  constructor(
    private readonly repo: RunbooksRepository,
    private readonly items: ActionItemsService,
  ) {}

  runbook(ctx: RequestContext): DataLoader<string, RunbookRow | null> {
    return ctx.loaders.batch('runbooks.byId', async (ids: readonly string[]) => indexBy(ids, await this.repo.byIds(ids), (r) => r.id));
  }

  ofService(ctx: RequestContext): DataLoader<string, RunbookRow[]> {
    return ctx.loaders.batch('runbooks.ofService', async (ids: readonly string[]) => groupBy(ids, await this.repo.ofServices(ids), (r) => r.serviceId));
  }

  ofIncident(ctx: RequestContext): DataLoader<string, RunbookRow[]> {
    return ctx.loaders.batch('runbooks.ofIncident', async (ids: readonly string[]) => groupBy(ids, await this.repo.ofIncidents(ids), (r) => r.incidentId));
  }

  revisions(ctx: RequestContext): DataLoader<string, RunbookRevisionRow[]> {
    return ctx.loaders.batch('runbooks.revisions', async (ids: readonly string[]) => groupBy(ids, await this.repo.revisionsOf(ids), (r) => r.runbookId));
  }

  feedback(ctx: RequestContext): DataLoader<string, RunbookFeedbackRow[]> {
    return ctx.loaders.batch('runbooks.feedback', async (ids: readonly string[]) => groupBy(ids, await this.repo.feedbackOfRunbooks(ids), (f) => f.runbookId));
  }

  feedbackOfIncident(ctx: RequestContext): DataLoader<string, RunbookFeedbackRow[]> {
    return ctx.loaders.batch('runbooks.feedbackOfIncident', async (ids: readonly string[]) => groupBy(ids, await this.repo.feedbackOfIncidents(ids), (f) => f.incidentId));
  }

  /** Items addressing each runbook: ids in one query, rows in a second (whatever the number of runbooks). */
  itemsOfRunbook(ctx: RequestContext): DataLoader<string, ActionItemRow[]> {
    return ctx.loaders.batch('runbooks.items', async (ids: readonly string[]) => {
        const links = await this.repo.itemIdsOfRunbooks(ids);
        const rows = await this.items.byIds(links.map((l) => l.id));
        const byId = new Map(rows.map((r) => [r.id, r]));
        return groupBy(ids, links.flatMap((l) => (byId.has(l.id) ? [{ runbookId: l.runbookId, row: byId.get(l.id) as ActionItemRow }] : [])), (x) => x.runbookId).map((xs) => xs.map((x) => x.row));
      });
  }
}
