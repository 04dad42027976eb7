import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { GraphQLError } from 'graphql';
import { withEnqueueSpan } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { ChaseJob, ChasePayloads, createRedis, DELIVERY_JOB_OPTIONS, DeliveryJob, QueueName, type RedisConnection } from '@hindsight/server-queue';
import { ChaseRepository } from './chase.repository';

/** How long runChaseNow waits for Redis before answering that the queue is unavailable. */
export const ENQUEUE_TIMEOUT_MS = 3000;

/**
 * The API's side of the queues: it adds sweep jobs, and relays the outbox rows it wrote
 * itself (messages about extension requests) so they go out at once. Its connection fails
 * fast, so a request never hangs on Redis.
 */
@Injectable()
export class ChaseQueueProducer implements OnModuleDestroy {
  private readonly log = new Logger('ChaseQueueProducer');
  private redis: RedisConnection | null = null;
  private queue: Queue | null = null;
  private deliveries: Queue | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly repo: ChaseRepository,
  ) {}

  private get connection(): RedisConnection {
    if (!this.redis) {
      this.redis = createRedis(this.config.redis, 'producer');
      // Without a listener ioredis reports connection errors as unhandled; the answer reports them.
      this.redis.on('error', () => undefined);
    }
    return this.redis;
  }

  private get chaseQueue(): Queue {
    if (!this.queue) {
      this.queue = new Queue(QueueName.Chase, { connection: this.connection, prefix: this.config.queuePrefix });
      this.queue.on('error', () => undefined);
    }
    return this.queue;
  }

  private get deliveryQueue(): Queue {
    if (!this.deliveries) {
      this.deliveries = new Queue(QueueName.Deliveries, { connection: this.connection, prefix: this.config.queuePrefix });
      this.deliveries.on('error', () => undefined);
    }
    return this.deliveries;
  }

  /**
   * Adds committed deliveries to the delivery queue and records it. Never throws: when Redis
   * is away they stay in the outbox (enqueued_at NULL) and the worker's recovery pass, after
   * its next sweep, sends them. The job id is the delivery id, so the two never double up.
   */
  async enqueueDeliveries(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        withEnqueueSpan(QueueName.Deliveries, (trace) =>
          this.deliveryQueue.addBulk(ids.map((deliveryId) => ({ name: DeliveryJob.Send, data: { deliveryId, trace }, opts: { jobId: deliveryId, ...DELIVERY_JOB_OPTIONS } }))),
        ),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ENQUEUE_TIMEOUT_MS))),
      ]);
      await this.repo.markEnqueued(ids);
    } catch (e) {
      this.log.warn(`${ids.length} deliveries stay in the outbox for the worker's recovery pass: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async enqueueSweep(actorId: string): Promise<void> {
    const data: ChasePayloads[typeof ChaseJob.Sweep] = { requestedBy: 'runChaseNow', actorId };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        withEnqueueSpan(QueueName.Chase, (trace) =>
          this.chaseQueue.add(ChaseJob.Sweep, { ...data, trace }, { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 100, removeOnFail: 100 }),
        ),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ENQUEUE_TIMEOUT_MS))),
      ]);
    } catch (e) {
      throw new GraphQLError(
        `The chase queue (Redis) is unavailable, so no sweep was started now (${(e as Error).message}). ` +
          `Nothing is lost: the workers sweep on their schedule, every ${this.config.chaseIntervalSeconds} seconds, once Redis is back.`,
        { extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, scheduleSeconds: this.config.chaseIntervalSeconds } },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    await this.deliveries?.close().catch(() => undefined);
    this.redis?.disconnect();
  }
}
