import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { FINISHED_SESSION_RETENTION_DAYS } from '@hindsight/domain';
import { withJobSpan } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { IdentityHousekeeping } from '@hindsight/server-identity';
import { InsightsRollups } from '@hindsight/server-insights';
import { MaintenanceJob, MaintenancePayloads, QueueName, type RedisConnection } from '@hindsight/server-queue';
import { SLACK_REQUEST_RETENTION_DAYS, SlackHousekeeping } from '@hindsight/server-slack';
import { WORKER_REDIS } from './worker.connections';
import { WorkerMetrics } from './worker.metrics';

/** Where the last heartbeat's time is kept, under the queue prefix. */
export const heartbeatKey = (prefix: string) => `${prefix}:worker:heartbeat`;
export const HEARTBEAT_SCHEDULER_ID = 'maintenance-heartbeat';
export const PRUNE_LOGIN_ATTEMPTS_SCHEDULER_ID = 'maintenance-prune-login-attempts';
export const PRUNE_SESSIONS_SCHEDULER_ID = 'maintenance-prune-sessions';
export const CATCH_UP_INSIGHTS_SCHEDULER_ID = 'maintenance-catch-up-insights';
const PRUNE_EVERY_MS = 60 * 60 * 1000;

type MaintenanceJobOf<N extends MaintenanceJob> = Job<MaintenancePayloads[N], void, N>;

/**
 * The maintenance queue: one processor, switching on the job name. Its recurring heartbeat
 * proves end to end that the scheduler fires and a worker processes, for the health check.
 */
@Injectable()
export class MaintenanceProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('MaintenanceProcessor');
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  /** The worker's blocking connection; BullMQ does not close a connection it was given. */
  private workerConnection: RedisConnection | null = null;

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: RedisConnection,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly metrics: WorkerMetrics,
    private readonly identity: IdentityHousekeeping,
    private readonly insights: InsightsRollups,
    private readonly slack: SlackHousekeeping,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue = new Queue(QueueName.Maintenance, { connection: this.redis, prefix: this.config.queuePrefix });
    // Idempotent: every worker process upserts the same scheduler id, so there is one schedule.
    await this.queue.upsertJobScheduler(
      HEARTBEAT_SCHEDULER_ID,
      { every: this.config.chaseIntervalSeconds * 1000 },
      { name: MaintenanceJob.Heartbeat, data: { scheduledBy: 'scheduler' }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    await this.queue.upsertJobScheduler(
      PRUNE_LOGIN_ATTEMPTS_SCHEDULER_ID,
      { every: PRUNE_EVERY_MS },
      { name: MaintenanceJob.PruneLoginAttempts, data: { scheduledBy: 'scheduler' }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    await this.queue.upsertJobScheduler(
      PRUNE_SESSIONS_SCHEDULER_ID,
      { every: PRUNE_EVERY_MS },
      { name: MaintenanceJob.PruneSessions, data: { scheduledBy: 'scheduler' }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    // As often as the heartbeat: a revenue change reaches the rollups within one interval (a report catches up by itself meanwhile).
    await this.queue.upsertJobScheduler(
      CATCH_UP_INSIGHTS_SCHEDULER_ID,
      { every: this.config.chaseIntervalSeconds * 1000 },
      { name: MaintenanceJob.CatchUpInsights, data: { scheduledBy: 'scheduler' }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    this.worker = new Worker(QueueName.Maintenance, (job) => withJobSpan(QueueName.Maintenance, job.name, job.data, () => this.process(job as MaintenanceJobOf<MaintenanceJob>)), { connection: (this.workerConnection = this.redis.duplicate()), prefix: this.config.queuePrefix, concurrency: 1 });
    this.worker.on('failed', (job, err) => this.log.error(`job ${job?.name} ${job?.id} failed: ${err.message}`));
    this.worker.on('error', (err) => this.log.error(`worker error: ${err.message}`));
  }

  async process(job: MaintenanceJobOf<MaintenanceJob>): Promise<void> {
    const name = job.name;
    const stop = this.metrics.jobDuration.startTimer({ queue: QueueName.Maintenance, job: name });
    try {
      switch (name) {
        case MaintenanceJob.Heartbeat:
          await this.redis.set(heartbeatKey(this.config.queuePrefix), new Date().toISOString());
          return;
        case MaintenanceJob.PruneLoginAttempts: {
          const pruned = await this.identity.pruneSignInCounters();
          if (pruned > 0) this.log.log(`pruned ${pruned} expired sign-in failure counters`);
          return;
        }
        case MaintenanceJob.PruneSessions: {
          const pruned = await this.identity.pruneFinishedSessions();
          if (pruned > 0) this.log.log(`pruned ${pruned} sessions that ended or expired over ${FINISHED_SESSION_RETENTION_DAYS} days ago`);
          // The same hourly sweep forgets the keys of Slack requests applied long ago (retries come within minutes).
          const requests = await this.slack.pruneRequests();
          if (requests > 0) this.log.log(`pruned ${requests} Slack request keys older than ${SLACK_REQUEST_RETENTION_DAYS} day(s)`);
          return;
        }
        case MaintenanceJob.CatchUpInsights: {
          const services = await this.insights.catchUp();
          if (services > 0) this.log.log(`repriced the incidents of ${services} service(s) whose revenue changed`);
          return;
        }
        default: {
          const unknown: never = name;
          throw new Error(`no handler for job ${String(unknown)} on ${QueueName.Maintenance}`);
        }
      }
    } finally {
      stop();
    }
  }

  /** Graceful: BullMQ's close waits for the active job to finish before returning. */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    this.workerConnection?.disconnect();
    await this.queue?.close();
  }

  depth(): Promise<Record<string, number>> {
    return this.queue ? this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed') : Promise.resolve({});
  }
}
