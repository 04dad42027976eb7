// The API in a process of its own, for specs that measure the process (memory, event loop,
// logs): started by `forkApi`, production settings, JSON logs at info on stdout, on its own
// cloned database. Reports its URL and database over IPC; answers 'stats' with the SQL
// statements it has run and its heap after a full collection; ends on 'close'.
import 'reflect-metadata';
import { SqlCounter } from '@hindsight/server-db';
import { startApi } from './api-harness';
import { serveParent } from './api.child';

async function main(): Promise<void> {
  const sql = new SqlCounter();
  const env = JSON.parse(process.env['HINDSIGHT_TEST_API_ENV'] ?? '{}') as Record<string, string>;
  const api = await startApi({ NODE_ENV: 'production', LOG_LEVEL: 'info', ...env }, { sqlCounter: sql });
  serveParent(api, (m) => {
    if (m === 'stats') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ sqlStatements: sql.count, heapUsed: process.memoryUsage().heapUsed });
    }
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
