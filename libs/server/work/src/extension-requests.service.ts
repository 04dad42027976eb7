import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { canEditActionItem, checkText, ExtensionEvent, extensionAudience, extensionDecisionRefusal, isClosedStatus, validateExtensionRequest } from '@hindsight/domain';
import { ActionItemRow, ActionItemsService, assertViaDelivery, withVia } from '@hindsight/server-action-items';
import { AuditService } from '@hindsight/server-audit';
import { ChaseQueueProducer, ChaseService } from '@hindsight/server-chase';
import { assertValid, conflict, forbidden, isUuid, notFound } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { ExtensionPeople, ExtensionRequestRow, ExtensionRequestsRepository } from './extension-requests.repository';

/**
 * "Need more time" when the person may not move the deadline themselves (PRODUCT.md 1):
 * a request to the owning team's manager, decided once, never by the person who asked.
 * The messages about it are written to the outbox in the same transaction as the request
 * or the decision, so each goes out exactly once; they are relayed to the queue right after
 * the commit (the worker's recovery pass catches any the API could not relay).
 */
@Injectable()
export class ExtensionRequestsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ExtensionRequestsRepository,
    private readonly items: ActionItemsService,
    private readonly chase: ChaseService,
    private readonly producer: ChaseQueueProducer,
    private readonly audit: AuditService,
  ) {}

  async request(actor: SessionActor, actionItemId: string, until: Date, reason: string, viaDelivery: string | null = null, now = new Date()): Promise<ExtensionRequestRow> {
    assertViaDelivery(viaDelivery);
    const [row, deliveries] = await this.ds.transaction(async (em) => {
      const item = await this.items.lockForUpdate(em, actionItemId);
      if (!item) throw notFound('action item', actionItemId);
      if (!canEditActionItem(actor, item.ownerTeamId)) {
        throw forbidden("Extensions are asked for by those who may edit the item: commanders, administrators and the owning team's manager and members.");
      }
      assertValid(validateExtensionRequest({ status: item.status, dueAt: item.dueAt, until, reason }, now));
      if (await this.repo.pendingOfItem(em, item.id)) throw conflict('An extension request for this item is already waiting for a decision.', { field: 'actionItemId' });
      const created = await this.repo.insert(em, { actionItemId: item.id, requestedBy: actor.id, previousDueAt: item.dueAt, until, reason: reason.trim() });
      await this.audit.record(em, { actorId: actor.id, action: 'extension-request.create', entityType: 'DueDateExtensionRequest', entityId: created.id, after: withVia(created, viaDelivery) });
      const people = await this.repo.people(em, item.ownerTeamId, actor.id);
      return [created, await this.notify(em, created, 'REQUESTED', item, people, actor.id)] as const;
    });
    void this.producer.enqueueDeliveries(deliveries);
    return row;
  }

  async decide(actor: SessionActor, id: string, approve: boolean, note: string | null | undefined): Promise<ExtensionRequestRow> {
    const noteError = checkText('note', note);
    assertValid(noteError ? [noteError] : []);
    const [row, deliveries] = await this.ds.transaction(async (em) => {
      const request = isUuid(id) ? await this.repo.forUpdate(em, id) : null;
      if (!request) throw notFound('extension request', id);
      const item = await this.items.lockForUpdate(em, request.actionItemId);
      if (!item) throw notFound('action item', request.actionItemId);
      const refusal = extensionDecisionRefusal({ actor, requesterId: request.requestedById, teamManagerId: await this.items.owningTeamManager(em, item) });
      if (refusal) throw forbidden(refusal);
      if (request.status !== 'PENDING') throw conflict(`This request was already ${request.status.toLowerCase()}; a request is decided once.`, { status: request.status });
      if (approve && isClosedStatus(item.status)) throw conflict(`The item is ${item.status}, so its due date no longer moves; decline the request instead.`, { status: item.status });
      const trimmedNote = note?.trim() || null;
      if (approve) {
        // The history keeps the requester's reason: it is why the date moved.
        await this.items.moveDueDate(em, actor.id, item, request.until, `Extension approved: ${request.reason}`, 'action-item.change-due-date');
      }
      const decided = await this.repo.decide(em, request.id, approve ? 'APPROVED' : 'DECLINED', actor.id, trimmedNote);
      await this.audit.record(em, { actorId: actor.id, action: 'extension-request.decide', entityType: 'DueDateExtensionRequest', entityId: id, before: request, after: decided });
      const people = await this.repo.people(em, item.ownerTeamId, request.requestedById);
      return [decided, await this.notify(em, decided, 'DECIDED', item, people, actor.id)] as const;
    });
    void this.producer.enqueueDeliveries(deliveries);
    return row;
  }

  /** The messages about the request (extensionAudience decides who) into the chaser's outbox; returns the ids to relay. */
  private notify(em: EntityManager, request: ExtensionRequestRow, event: ExtensionEvent, item: ActionItemRow, people: ExtensionPeople, actorId: string): Promise<string[]> {
    const to = extensionAudience(event, { actorId, requesterId: request.requestedById, teamManagerId: people.managerId });
    const person = (email: string | null, name: string | null) => (email ? [{ email, name }] : []);
    return this.chase.queueExtensionMessages(em, { extensionRequestId: request.id, event }, {
      people: [
        ...(to.includes('TEAM_MANAGER') ? person(people.managerEmail, people.managerName) : []),
        ...(to.includes('REQUESTER') ? person(people.requesterEmail, people.requesterName) : []),
      ],
      teamChannelsOf: to.includes('TEAM_CHANNELS') ? item.ownerTeamId : null,
    });
  }
}
