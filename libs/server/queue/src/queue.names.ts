import type { Traced } from '@hindsight/server-common';

/**
 * Queue and job names are stored in Redis and outlive renames in code: never change a value,
 * add a new one. Each queue has exactly one processor, which switches on the job name.
 */
export const QueueName = {
  Maintenance: 'hindsight.maintenance',
  /** The chaser's sweeps and weekly digests: few, long jobs. */
  Chase: 'hindsight.chase',
  /** One job per delivery (job id = delivery id): retries, lease waits, and what the API sends at once. */
  Deliveries: 'hindsight.deliveries',
  /** The outbox relayed in batches: one job sends up to DELIVERY_BATCH_SIZE deliveries, first attempt only. */
  DeliveryBatches: 'hindsight.delivery-batches',
  /** Tracker sync: one job per outbox push (job id = push id) and per reconciliation run. */
  Trackers: 'hindsight.trackers',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const MaintenanceJob = {
  /** Recurring heartbeat proving the scheduler and a worker are alive (recorded in Redis). */
  Heartbeat: 'maintenance.heartbeat',
  /** Deletes sign-in failure counters whose window has passed (keys never retried stay otherwise). */
  PruneLoginAttempts: 'maintenance.prune-login-attempts',
  /** Deletes sessions that ended or expired more than FINISHED_SESSION_RETENTION_DAYS ago. */
  PruneSessions: 'maintenance.prune-sessions',
  /** Applies the services' revenue changes to the insights' rollups (recorded by the write, repriced after it). */
  CatchUpInsights: 'maintenance.catch-up-insights',
} as const;
export type MaintenanceJob = (typeof MaintenanceJob)[keyof typeof MaintenanceJob];

/**
 * The payload of each job name; a processor's switch must cover every key (checked by `never`).
 * `trace`: the W3C trace context of whoever added the job, when tracing is on.
 */
export interface MaintenancePayloads {
  [MaintenanceJob.Heartbeat]: { scheduledBy: 'scheduler' } & Traced;
  [MaintenanceJob.PruneLoginAttempts]: { scheduledBy: 'scheduler' | 'operator' } & Traced;
  [MaintenanceJob.PruneSessions]: { scheduledBy: 'scheduler' | 'operator' } & Traced;
  [MaintenanceJob.CatchUpInsights]: { scheduledBy: 'scheduler' | 'operator' } & Traced;
}

export const ChaseJob = {
  /** Finds ladder steps that came due, records them with their deliveries, relays the outbox. */
  Sweep: 'chase.sweep',
  /** Creates the weekly team and leadership digests (once per week each) and relays them. */
  Digest: 'chase.digest',
} as const;
export type ChaseJob = (typeof ChaseJob)[keyof typeof ChaseJob];

export interface ChasePayloads {
  [ChaseJob.Sweep]: { requestedBy: 'scheduler' | 'runChaseNow' | 'startup'; actorId?: string } & Traced;
  [ChaseJob.Digest]: { requestedBy: 'scheduler' | 'startup' } & Traced;
}

export const DeliveryJob = {
  /** Sends one delivery row; the job id is the delivery id, so BullMQ keeps one job per delivery. */
  Send: 'delivery.send',
} as const;
export type DeliveryJob = (typeof DeliveryJob)[keyof typeof DeliveryJob];

export interface DeliveryPayloads {
  [DeliveryJob.Send]: { deliveryId: string } & Traced;
}

export const DeliveryBatchJob = {
  /**
   * First attempt of a batch of outbox deliveries: one read-and-lease and one mark for all of
   * them, the sends side by side. A delivery that fails or finds its lease taken goes on as a
   * `delivery.send` job of its own (job id = delivery id) with the retries left.
   */
  Send: 'delivery.send-batch',
} as const;
export type DeliveryBatchJob = (typeof DeliveryBatchJob)[keyof typeof DeliveryBatchJob];

export interface DeliveryBatchPayloads {
  [DeliveryBatchJob.Send]: { deliveryIds: string[] } & Traced;
}

/**
 * Deliveries per batch job. With DELIVERY_BATCH_CONCURRENCY 4 that keeps ~800 sends in flight,
 * enough to keep the HTTP agent's 128 sockets per receiver busy while batches are read and
 * marked; each delivery is marked as its receiver answers, so a slow one holds back no other.
 */
export const DELIVERY_BATCH_SIZE = 200;

/**
 * The backoff of delivery jobs, computed by the worker that runs them (its `backoffStrategy`):
 * exponential from the job's `delay`, or what the receiver asked for (a 429 or 503 with
 * Retry-After). A process that only adds jobs (the API) needs nothing of it.
 */
export const DELIVERY_BACKOFF_TYPE = 'delivery';

/**
 * Options of every single delivery job, whoever adds it (the worker's relay for a retry or a
 * lease wait, the API right after an extension request commits): the job id is the delivery id, so adding it twice
 * keeps one job while it waits or runs. A completed job is removed at once (the row says
 * SENT; keeping a history in Redis cost a sorted-set insert and a trim per delivery), so a
 * later re-add makes a new job, which re-reads the row and sends nothing. Retries 1 s, 2 s,
 * 4 s … 64 s apart (about two minutes in all), or when the receiver's Retry-After says.
 */
export const DELIVERY_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: DELIVERY_BACKOFF_TYPE, delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { count: 5000 },
} as const;

/**
 * A batch job's own retries cover only a failure of the batch as a whole (Postgres away while
 * reading); no job id, since the send lease in Postgres, not Redis, keeps a delivery from going
 * out twice when a recovery pass adds the same deliveries again.
 */
export const DELIVERY_BATCH_JOB_OPTIONS = { ...DELIVERY_JOB_OPTIONS, removeOnFail: { count: 1000 } } as const;

export const TrackerJob = {
  /** Runs one tracker push (create the issue, or bring its state and due date to the item's); job id = push id. */
  Push: 'tracker.push',
  /** Reads the open linked issues of one connection (or of every connection) and applies what changed. */
  Reconcile: 'tracker.reconcile',
} as const;
export type TrackerJob = (typeof TrackerJob)[keyof typeof TrackerJob];

export interface TrackerPayloads {
  [TrackerJob.Push]: { pushId: string } & Traced;
  [TrackerJob.Reconcile]: { connectionId: string | null; requestedBy: 'scheduler' | 'syncTrackerNow' | 'startup'; actorId?: string } & Traced;
}

/** Recurring schedules (upsertJobScheduler ids): every worker upserts the same ids. */
export const CHASE_SWEEP_SCHEDULER_ID = 'chase-sweep';
export const CHASE_DIGEST_SCHEDULER_ID = 'chase-weekly-digest';
export const TRACKER_RECONCILE_SCHEDULER_ID = 'tracker-reconcile';
