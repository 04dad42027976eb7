import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { ChaseSweepService, DigestService, SweepResult } from '@hindsight/server-chase';
import { withJobSpan } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { CHASE_DIGEST_SCHEDULER_ID, CHASE_SWEEP_SCHEDULER_ID, ChaseJob, ChasePayloads, QueueName, type RedisConnection } from '@hindsight/server-queue';
import { OutboxRelay } from './outbox.relay';
import { WORKER_REDIS } from './worker.connections';
import { WorkerMetrics } from './worker.metrics';

type ChaseJobOf<N extends ChaseJob> = Job<ChasePayloads[N], unknown, N>;

/** Weekly digests go out on Mondays at 08:00 UTC, for the week that just ended. */
export const DIGEST_CRON = '0 8 * * 1';
/** Subjects per sweep transaction; CHASE_SWEEP_CHUNK tunes it (tests use small chunks to stop a sweep half-way). */
export const SWEEP_CHUNK = Number(process.env['CHASE_SWEEP_CHUNK'] ?? 5000) || 5000;
export const SWEEP_JOB_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 100, removeOnFail: 100 } as const;

/**
 * The chase queue: sweeps (every CHASE_INTERVAL_SECONDS, on runChaseNow, and once at
 * startup so steps that came due while no worker ran go out late rather than never) and
 * the weekly digest. One sweep at a time per worker; several workers may sweep at once,
 * which the ledger's unique constraint makes harmless.
 */
@Injectable()
export class ChaseProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ChaseProcessor');
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  /** The worker's blocking connection; BullMQ does not close a connection it was given. */
  private workerConnection: RedisConnection | null = null;
  private connectedOnce = false;
  private readonly onReady = () => {
    // After a reconnect Redis may have restarted empty: schedules and queued jobs are gone.
    if (this.connectedOnce) void this.restore('Redis reconnected');
    this.connectedOnce = true;
  };

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: RedisConnection,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly sweeps: ChaseSweepService,
    private readonly digests: DigestService,
    private readonly relay: OutboxRelay,
    private readonly metrics: WorkerMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue = new Queue(QueueName.Chase, { connection: this.redis, prefix: this.config.queuePrefix });
    this.connectedOnce = this.redis.status === 'ready';
    this.redis.on('ready', this.onReady);
    await this.upsertSchedulers();
    this.worker = new Worker(QueueName.Chase, (job) => withJobSpan(QueueName.Chase, job.name, job.data, () => this.process(job as ChaseJobOf<ChaseJob>)), {
      connection: (this.workerConnection = this.redis.duplicate()),
      prefix: this.config.queuePrefix,
      concurrency: 1,
      lockDuration: 60_000,
    });
    this.worker.on('failed', (job, err) => this.log.error(`job ${job?.name} ${job?.id} failed: ${err.message}`));
    this.worker.on('error', (err) => this.log.error(`worker error: ${err.message}`));
    await this.queue.add(ChaseJob.Sweep, { requestedBy: 'startup' }, SWEEP_JOB_OPTIONS);
    void this.relay.recover(true).catch((e: unknown) => this.log.error(`startup recovery pass failed: ${(e as Error).message}`));
  }

  /** Idempotent: every worker upserts the same ids, so there is one schedule of each. */
  private async upsertSchedulers(): Promise<void> {
    if (!this.queue) return;
    await this.queue.upsertJobScheduler(
      CHASE_SWEEP_SCHEDULER_ID,
      { every: this.config.chaseIntervalSeconds * 1000 },
      { name: ChaseJob.Sweep, data: { requestedBy: 'scheduler' }, opts: SWEEP_JOB_OPTIONS },
    );
    await this.queue.upsertJobScheduler(
      CHASE_DIGEST_SCHEDULER_ID,
      { pattern: DIGEST_CRON, tz: 'UTC' },
      { name: ChaseJob.Digest, data: { requestedBy: 'scheduler' }, opts: SWEEP_JOB_OPTIONS },
    );
  }

  private async restore(why: string): Promise<void> {
    try {
      this.log.warn(`${why}: restoring schedules and re-enqueueing pending deliveries`);
      await this.upsertSchedulers();
      await this.relay.recover(true);
    } catch (e) {
      this.log.error(`restore after "${why}" failed: ${(e as Error).message}`);
    }
  }

  async process(job: ChaseJobOf<ChaseJob>): Promise<SweepResult | unknown> {
    const name = job.name;
    const stop = this.metrics.jobDuration.startTimer({ queue: QueueName.Chase, job: name });
    try {
      switch (name) {
        case ChaseJob.Sweep:
          return await this.sweep();
        case ChaseJob.Digest:
          return await this.digests.createWeekly(new Date(), async (ids) => void (await this.relay.enqueue(ids)));
        default: {
          const unknown: never = name;
          throw new Error(`no handler for job ${String(unknown)} on ${QueueName.Chase}`);
        }
      }
    } finally {
      stop();
    }
  }

  /** One sweep, then the recovery pass for anything an earlier crash left unenqueued. */
  async sweep(): Promise<SweepResult> {
    const stop = this.metrics.sweepDuration.startTimer();
    const result = await this.sweeps.sweep(new Date(), async (ids) => void (await this.relay.enqueue(ids, true)), SWEEP_CHUNK);
    await this.relay.recover(false);
    stop();
    if (result.sent || result.superseded) this.log.log(`sweep: ${result.sent} steps sent, ${result.superseded} superseded, ${result.deliveries} deliveries`);
    return result;
  }

  depth(): Promise<Record<string, number>> {
    return this.queue ? this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed') : Promise.resolve({});
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.off('ready', this.onReady);
    await this.worker?.close();
    this.workerConnection?.disconnect();
    await this.queue?.close();
  }
}
