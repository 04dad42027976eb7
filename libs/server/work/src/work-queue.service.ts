import { Injectable } from '@nestjs/common';
import type { RequestContext, SessionActor } from '@hindsight/server-graphql';
import { LoaderRegistry } from '@hindsight/server-graphql';
import { IdentityLoaders } from '@hindsight/server-identity';
import { IncidentLoaders } from '@hindsight/server-incidents';
import { MyWorkService, MyWorkSource } from './my-work.service';
import type { WorkEntryType } from './work.types';

/**
 * The home queue with what it needs beyond the lists (teams' managers, whether assignees are
 * active, postmortems' incidents): three batches, shared with the request's other fields when
 * it has a context. `MyWork.queue` and the MCP server's `list_my_work` both come from here.
 */
@Injectable()
export class WorkQueueService {
  constructor(
    private readonly work: MyWorkService,
    private readonly identity: IdentityLoaders,
    private readonly incidents: IncidentLoaders,
  ) {}

  async queueOf(source: MyWorkSource, ctx: RequestContext): Promise<WorkEntryType[]> {
    const items = [...source.items.map((i) => i.row), ...source.requests.map((r) => r.item)];
    const unique = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))];
    const [teams, users, incidents] = await Promise.all([
      this.identity.team(ctx).loadMany(unique(items.map((r) => r.ownerTeamId))),
      this.identity.user(ctx).loadMany(unique(items.map((r) => r.assigneeId))),
      this.incidents.incident(ctx).loadMany(unique(source.postmortems.map((p) => p.row.incidentId))),
    ]);
    const found = <T>(rows: (T | null | Error)[]): T[] => rows.flatMap((r) => {
      if (r instanceof Error) throw r;
      return r === null ? [] : [r];
    });
    const managers = new Map(found(teams).map((t) => [t.id, t.managerId]));
    const active = new Set(found(users).filter((u) => u.active).map((u) => u.id));
    const incidentById = new Map(found(incidents).map((i) => [i.id, i]));
    return this.work.queue(source, {
      teamManager: (id) => managers.get(id) ?? null,
      isActive: (id) => active.has(id),
      incident: (id) => incidentById.get(id) ?? null,
    });
  }

  /** What needs this person now, as one queue, outside a GraphQL request. */
  async queueFor(actor: SessionActor, requestId: string): Promise<WorkEntryType[]> {
    const work = await this.work.forActor(actor);
    return this.queueOf(work.source, { actor, loaders: new LoaderRegistry(), clientIp: '', requestId });
  }
}
