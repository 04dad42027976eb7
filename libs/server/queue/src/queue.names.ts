/**
 * Queue and job names are stored in Redis and outlive renames in code: never change a value,
 * add a new one. Each queue has exactly one processor, which switches on the job name.
 */
export const QueueName = {
  Maintenance: 'hindsight.maintenance',
  /** The chaser's sweeps and weekly digests: few, long jobs. */
  Chase: 'hindsight.chase',
  /** One job per outbox delivery (job id = delivery id): many short, retried jobs. */
  Deliveries: 'hindsight.deliveries',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const MaintenanceJob = {
  /** Recurring heartbeat proving the scheduler and a worker are alive (recorded in Redis). */
  Heartbeat: 'maintenance.heartbeat',
  /** Deletes sign-in failure counters whose window has passed (keys never retried stay otherwise). */
  PruneLoginAttempts: 'maintenance.prune-login-attempts',
} as const;
export type MaintenanceJob = (typeof MaintenanceJob)[keyof typeof MaintenanceJob];

/** The payload of each job name; a processor's switch must cover every key (checked by `never`). */
export interface MaintenancePayloads {
  [MaintenanceJob.Heartbeat]: { scheduledBy: 'scheduler' };
  [MaintenanceJob.PruneLoginAttempts]: { scheduledBy: 'scheduler' | 'operator' };
}

export const ChaseJob = {
  /** Finds ladder steps that came due, records them with their deliveries, relays the outbox. */
  Sweep: 'chase.sweep',
  /** Creates the weekly team and leadership digests (once per week each) and relays them. */
  Digest: 'chase.digest',
} as const;
export type ChaseJob = (typeof ChaseJob)[keyof typeof ChaseJob];

export interface ChasePayloads {
  [ChaseJob.Sweep]: { requestedBy: 'scheduler' | 'runChaseNow' | 'startup'; actorId?: string };
  [ChaseJob.Digest]: { requestedBy: 'scheduler' | 'startup' };
}

export const DeliveryJob = {
  /** Sends one delivery row; the job id is the delivery id, so BullMQ keeps one job per delivery. */
  Send: 'delivery.send',
} as const;
export type DeliveryJob = (typeof DeliveryJob)[keyof typeof DeliveryJob];

export interface DeliveryPayloads {
  [DeliveryJob.Send]: { deliveryId: string };
}

/** Recurring schedules (upsertJobScheduler ids): every worker upserts the same ids. */
export const CHASE_SWEEP_SCHEDULER_ID = 'chase-sweep';
export const CHASE_DIGEST_SCHEDULER_ID = 'chase-weekly-digest';
