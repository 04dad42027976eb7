import type { RedisConnection } from '@hindsight/server-queue';
import type { DataSource } from 'typeorm';

export type CheckResult = { status: 'up'; latencyMs: number } | { status: 'down'; error: string };

async function timed(fn: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); })]);
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (e) {
    return { status: 'down', error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export const checkPostgres = (ds: DataSource, timeoutMs = 2000) => timed(() => ds.query('SELECT 1'), timeoutMs);
export const checkRedis = (redis: RedisConnection, timeoutMs = 2000) => timed(() => redis.ping(), timeoutMs);
