import { Injectable } from '@nestjs/common';
import { ChaseRepository } from './chase.repository';

/**
 * The delivery outbox's bookkeeping, for the worker's relay that hands its rows to the queue:
 * which pending deliveries are enqueued, and which may be missing from the queue. The rows
 * stay the chaser's; the relay only learns their ids.
 */
@Injectable()
export class DeliveryOutbox {
  constructor(private readonly repo: ChaseRepository) {}

  /** These jobs are in the queue. */
  markEnqueued(ids: readonly string[]): Promise<void> {
    return this.repo.markEnqueued(ids);
  }

  /** Written as handed to the relay, but the relay could not enqueue them: the next recovery pass will. */
  unmarkEnqueued(ids: readonly string[]): Promise<void> {
    return this.repo.unmarkEnqueued(ids);
  }

  /** Pending deliveries that may be missing from the queue (every pending one when `all`), keyset-paged by id. */
  pendingDeliveryIds(all: boolean, staleBefore: Date, afterId: string | null, limit: number): Promise<{ id: string }[]> {
    return this.repo.pendingDeliveryIds(all, staleBefore, afterId, limit);
  }
}
