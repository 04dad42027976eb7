import { randomBytes } from 'node:crypto';
import { TestDatabase } from '@hindsight/server-db/testing';
import { dropQueueKeys } from '@hindsight/server-queue/testing';
import { REDIS_URL, startWorkerProcess, stopWorkers, WorkerProcess } from './chase-harness';

/**
 * Worker processes over one test database and a queue prefix of their own, with what they talk
 * to (a receiver, a fake): `start` adds a worker, `close` stops the workers, closes the rest and
 * drops the queue keys and the database. For the fault specs, which kill and restart workers.
 */
export class WorkerFleet {
  readonly prefix: string;
  readonly workers: WorkerProcess[] = [];

  constructor(
    readonly db: TestDatabase,
    name: string,
    private readonly env: Record<string, string> = {},
    private readonly others: { close(): Promise<void> }[] = [],
  ) {
    this.prefix = `hs-${name}-${randomBytes(4).toString('hex')}`;
  }

  /** One more worker process (sweeping hourly: the one at start-up is what the tests watch). */
  start(): WorkerProcess {
    const worker = startWorkerProcess({
      DATABASE_URL: this.db.url, REDIS_URL, QUEUE_PREFIX: this.prefix, CHASE_INTERVAL_SECONDS: '3600', PUBLIC_URL: 'https://hindsight.example.test',
      ...this.env,
    });
    this.workers.push(worker);
    return worker;
  }

  async close(): Promise<void> {
    await stopWorkers(this.workers);
    for (const other of this.others) await other.close();
    await dropQueueKeys(REDIS_URL, this.prefix);
    await this.db.drop();
  }
}
