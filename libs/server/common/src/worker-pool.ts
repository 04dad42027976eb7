import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

interface Task<In, Out> {
  id: number;
  input: In;
  resolve: (output: Out) => void;
  reject: (error: Error) => void;
}

interface Slot<In, Out> {
  worker: Worker;
  task: Task<In, Out> | null;
}

/** Thrown when more tasks wait than the pool accepts: the caller should try again shortly. */
export class PoolBusyError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} tasks are already waiting for a worker thread`);
    this.name = 'PoolBusyError';
  }
}

/** Worker threads for a pure, CPU-heavy function: the machine's cores but one (the event loop's), at least one. */
export const DEFAULT_POOL_SIZE = Math.max(1, Math.min(4, availableParallelism() - 1));

/**
 * A few worker threads that run one function (the module `file` answers `{ id, input }` with
 * `{ id, output }` or `{ id, error }` on its parentPort), so CPU-heavy work never holds the
 * event loop that serves everyone else. Threads start on first use, one task each at a time;
 * at most `maxWaiting` tasks wait (PoolBusyError beyond). A thread that dies fails its task
 * and is replaced. Threads do not keep the process alive; `close` ends them.
 *
 * From TypeScript sources (tests, `npm run dev`) the thread loads `file` through
 * @swc-node/register, as the process itself was.
 */
export class WorkerPool<In, Out> {
  private readonly slots: Slot<In, Out>[] = [];
  private readonly waiting: Task<In, Out>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly file: string, private readonly size = DEFAULT_POOL_SIZE, private readonly maxWaiting = 1000) {}

  run(input: In): Promise<Out> {
    if (this.closed) return Promise.reject(new Error('The worker pool is closed'));
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(new PoolBusyError(this.waiting.length));
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, input, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(new Error('The worker pool is closed'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const task = this.waiting.shift()!;
      slot.task = task;
      slot.worker.postMessage({ id: task.id, input: task.input });
    }
  }

  private spawn(): Slot<In, Out> {
    const worker = this.file.endsWith('.ts')
      ? new Worker(`require('@swc-node/register'); require(${JSON.stringify(this.file)});`, { eval: true })
      : new Worker(this.file);
    worker.unref();
    const slot: Slot<In, Out> = { worker, task: null };
    worker.on('message', (message: { id: number; output?: Out; error?: string }) => {
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      slot.task = null;
      if (message.error !== undefined) task.reject(new Error(message.error));
      else task.resolve(message.output as Out);
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.task?.reject(error);
      slot.task = null;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`A worker thread exited (code ${code})`)));
    this.slots.push(slot);
    return slot;
  }
}

