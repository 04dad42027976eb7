import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { EscalationStepView, NudgeSubjectKind } from '@hindsight/domain';
import { groupBy, RequestContext } from '@hindsight/server-graphql';
import { ChaseRepository, NudgeDeliveryRow } from './chase.repository';
import { EscalationService } from './escalation.service';

/** Per-request batch loaders: the nudges and escalations of many action items or postmortems in a fixed number of queries. */
@Injectable()
export class ChaseLoaders {
  constructor(
    private readonly repo: ChaseRepository,
    private readonly escalations: EscalationService,
  ) {}

  nudgesOf(ctx: RequestContext, kind: NudgeSubjectKind): DataLoader<string, NudgeDeliveryRow[]> {
    return ctx.loaders.batch(`chase.nudgesOf.${kind}`, async (ids: readonly string[]) => groupBy(ids, await this.repo.nudgeDeliveriesOf(kind, ids), (n) => n.subjectId));
  }

  escalation(ctx: RequestContext, kind: 'ACTION_ITEM' | 'POSTMORTEM'): DataLoader<string, EscalationStepView[]> {
    return ctx.loaders.batch(`chase.escalation.${kind}`, async (ids: readonly string[]) => {
      const histories = await this.escalations.histories(kind, ids);
      return ids.map((id) => histories.get(id) ?? []);
    });
  }
}
