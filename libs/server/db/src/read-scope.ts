import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';

/** Where the statements of a read scope go instead of the primary, and whom to tell when it fails. */
export interface ReadScope {
  primary: DataSource;
  replica: DataSource;
  /** The replica failed in a way the primary would not (gone, shut down, recovery conflict). */
  replicaFailed(error: unknown): void;
}

/**
 * The read scope of the running call, if any: `ReplicaReads.run` opens one around a report,
 * an export or the review, and the primary's DataSource sends the statements made inside it,
 * outside a transaction of its own, to the replica.
 */
export const readScopes = new AsyncLocalStorage<ReadScope>();

const REPLICA_GONE_CODES = new Set([
  // admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down)
  '57P01', '57P02', '57P03',
  // serialization_failure: on a standby, a statement cancelled by a conflict with recovery
  '40001',
]);

/**
 * True for an error a read on the primary would not have: the replica is unreachable, shut
 * down, still starting, or cancelled the statement to replay the primary's changes.
 */
export function replicaUnavailable(error: unknown): boolean {
  const e = (error as { driverError?: unknown }).driverError ?? error;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (REPLICA_GONE_CODES.has(code) || code.startsWith('08') || /^E[A-Z]+$/.test(code))) return true;
  const message = String((e as { message?: unknown }).message ?? '');
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

/** True inside a read scope: the running call's statements go to a replica, which is read-only. */
export function readsFromReplica(): boolean {
  return readScopes.getStore() !== undefined;
}

/**
 * Runs fn with its statements on the primary even inside a read scope: what a replica cannot do
 * (the rollups' catch-up writes) and the reads that must see its result at once.
 */
export function onPrimary<T>(fn: () => T): T {
  return readScopes.exit(fn);
}
