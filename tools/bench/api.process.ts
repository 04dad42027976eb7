// The API under measurement in a process of its own (forked by the benchmarks through
// `startApiProcess`): production settings, logs at `info` as JSON into the file the parent
// gave as stdout, on its own cloned database. Reports its URL over IPC; ends on 'close'.
import 'reflect-metadata';
import { serveParent, startApi } from '@hindsight/server-app/testing';

async function main(): Promise<void> {
  // A benchmark is one caller at full speed, which the per-caller cost budget exists to slow
  // down: the budget stays on (its bookkeeping is measured) but too large to refuse anything.
  const api = await startApi(
    { NODE_ENV: 'production', LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'info', GRAPHQL_COST_PER_MINUTE: '1000000000000' },
    // bench:web has it serve the production web build as well.
    { webRoot: process.env['BENCH_WEB_ROOT'] || null },
  );
  serveParent(api);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
