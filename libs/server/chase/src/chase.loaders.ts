import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { NudgeSubjectKind } from '@hindsight/domain';
import { groupBy, RequestContext } from '@hindsight/server-graphql';
import { ChaseRepository, NudgeDeliveryRow } from './chase.repository';

/** Per-request batch loaders: the nudges of many action items or postmortems in one query. */
@Injectable()
export class ChaseLoaders {
  constructor(private readonly repo: ChaseRepository) {}

  nudgesOf(ctx: RequestContext, kind: NudgeSubjectKind): DataLoader<string, NudgeDeliveryRow[]> {
    return ctx.loaders.batch(`chase.nudgesOf.${kind}`, async (ids: readonly string[]) => groupBy(ids, await this.repo.nudgeDeliveriesOf(kind, ids), (n) => n.subjectId));
  }
}
