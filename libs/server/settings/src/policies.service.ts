import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Policies, Priority, Severity, validatePolicies, withDefaultPolicies } from '@hindsight/domain';
import { assertValid } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { POLICIES_KEY, PoliciesRepository } from './policies.repository';

/** An ADMIN's change: absent keys keep their value, null is passed on for validation to judge. */
export interface PoliciesChange {
  postmortemDueDays?: Partial<Record<Severity, number | null>> | null;
  actionItemDueDays?: Partial<Record<Priority, number | null>> | null;
  hourlyResponderRate?: number | null;
  personDayCost?: number | null;
  runbookReviewDays?: number | null;
  fixHoldDays?: number | null;
}

const definedOnly = <T extends object>(o: T | null | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * The policies in force (PRODUCT.md 4): the defaults overlaid with what an ADMIN stored.
 * Read inside the caller's transaction when given one, so a due date and the policy it came
 * from are consistent.
 */
@Injectable()
export class PoliciesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: PoliciesRepository,
    private readonly audit: AuditService,
  ) {}

  async current(em: EntityManager | DataSource = this.ds): Promise<Policies> {
    return withDefaultPolicies(await this.repo.stored(em));
  }

  /** Applies the change to the policies in force; the whole result must pass validatePolicies. */
  async update(actor: SessionActor, change: PoliciesChange): Promise<Policies> {
    return this.ds.transaction(async (em) => {
      await this.repo.lockForUpdate(em);
      const before = await this.current(em);
      const after = {
        postmortemDueDays: { ...before.postmortemDueDays, ...definedOnly(change.postmortemDueDays) },
        actionItemDueDays: { ...before.actionItemDueDays, ...definedOnly(change.actionItemDueDays) },
        hourlyResponderRate: change.hourlyResponderRate === undefined ? before.hourlyResponderRate : change.hourlyResponderRate,
        personDayCost: change.personDayCost === undefined ? before.personDayCost : change.personDayCost,
        runbookReviewDays: change.runbookReviewDays === undefined ? before.runbookReviewDays : change.runbookReviewDays,
        fixHoldDays: change.fixHoldDays === undefined ? before.fixHoldDays : change.fixHoldDays,
      };
      assertValid(validatePolicies(after, 'input'));
      await this.repo.save(em, after as Policies, actor.id);
      await this.audit.record(em, { actorId: actor.id, action: 'policies.update', entityType: 'Settings', entityId: POLICIES_KEY, before, after });
      return after as Policies;
    });
  }
}
