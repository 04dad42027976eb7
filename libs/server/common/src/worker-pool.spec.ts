import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolBusyError, WorkerPool } from './worker-pool';

// A worker speaking the pool's protocol: doubles a number after `ms` of busy CPU, fails on
// "fail", and exits (as a crash would) on "exit".
const dir = mkdtempSync(join(tmpdir(), 'hs-pool-'));
const file = join(dir, 'double.worker.js');
writeFileSync(file, `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, input }) => {
  if (input === 'exit') process.exit(3);
  if (input === 'fail') return parentPort.postMessage({ id, error: 'asked to fail' });
  const until = Date.now() + input.ms;
  while (Date.now() < until) {}
  parentPort.postMessage({ id, output: { doubled: input.n * 2, threadId } });
});
`);

type In = { n: number; ms: number } | 'fail' | 'exit';
type Out = { doubled: number; threadId: number };

describe('WorkerPool', () => {
  it('runs tasks on its threads, side by side, and answers each with its own result', async () => {
    const pool = new WorkerPool<In, Out>(file, 2);
    try {
      const results = await Promise.all(Array.from({ length: 6 }, (_, n) => pool.run({ n, ms: 20 })));
      expect(results.map((r) => r.doubled)).toEqual([0, 2, 4, 6, 8, 10]);
      expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('fails the task whose thread failed or died, and goes on with a new thread', async () => {
    const pool = new WorkerPool<In, Out>(file, 1);
    try {
      await expect(pool.run('fail')).rejects.toThrow('asked to fail');
      await expect(pool.run('exit')).rejects.toThrow('A worker thread exited (code 3)');
      expect((await pool.run({ n: 21, ms: 0 })).doubled).toBe(42);
    } finally {
      await pool.close();
    }
  });

  it('refuses more waiting tasks than it accepts, and nothing once closed', async () => {
    const pool = new WorkerPool<In, Out>(file, 1, 2);
    const running = [pool.run({ n: 1, ms: 200 }), pool.run({ n: 2, ms: 0 }), pool.run({ n: 3, ms: 0 })];
    await expect(pool.run({ n: 4, ms: 0 })).rejects.toBeInstanceOf(PoolBusyError);
    expect((await Promise.all(running)).map((r) => r.doubled)).toEqual([2, 4, 6]);
    await pool.close();
    await expect(pool.run({ n: 5, ms: 0 })).rejects.toThrow('closed');
  });
});
