import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { changeWindow, MAX_CHANGES_BEFORE_DETECTION } from '@hindsight/domain';
import { groupBy, indexBy, RequestContext } from '@hindsight/server-graphql';
import { IncidentLoaders, IncidentRow } from '@hindsight/server-incidents';
import { IncidentChangeRow, ChangesRepository } from './changes.repository';

/**
 * Per-request batch loaders: a page of incidents costs the same few statements for its
 * changes whatever its length (the incidents themselves usually come primed by the query).
 */
@Injectable()
export class ChangesLoaders {
  constructor(
    private readonly repo: ChangesRepository,
    private readonly incidents: IncidentLoaders,
  ) {}

  /** An incident's own window in minutes; null: the default. */
  windowMinutes(ctx: RequestContext): DataLoader<string, number | null> {
    return ctx.loaders.batch('changes.windowMinutes', async (ids: readonly string[]) => {
      const rows = indexBy(ids, await this.repo.windowsOf(ids), (w) => w.incidentId);
      return rows.map((w) => w?.minutes ?? null);
    });
  }

  /** Changes before detection: the window is the domain's rule (changeWindow), the rows are one statement. */
  beforeDetection(ctx: RequestContext): DataLoader<string, IncidentChangeRow[]> {
    return ctx.loaders.batch('changes.beforeDetection', async (ids: readonly string[]) => {
      const [incidents, minutes] = await Promise.all([this.incidents.incident(ctx).loadMany(ids), this.windowMinutes(ctx).loadMany(ids)]);
      const windows = ids.flatMap((incidentId, i) => {
        const incident = incidents[i];
        const m = minutes[i];
        if (!incident || incident instanceof Error) return [];
        return [{ incidentId, ...changeWindow(incident as IncidentRow, m instanceof Error ? null : (m ?? null)) }];
      });
      const rows = windows.length ? await this.repo.beforeDetection(windows, MAX_CHANGES_BEFORE_DETECTION) : [];
      return groupBy(ids, rows, (r) => r.incidentId);
    });
  }

  aliases(ctx: RequestContext): DataLoader<string, string[]> {
    return ctx.loaders.batch('changes.aliases', async (ids: readonly string[]) => groupBy(ids, await this.repo.aliasesOf(ids), (a) => a.serviceId).map((xs) => xs.map((a) => a.alias)));
  }
}
