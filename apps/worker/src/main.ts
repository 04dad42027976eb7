import 'reflect-metadata';
import { loadConfig } from '@hindsight/server-config';
import { startupFailureLine } from '@hindsight/server-common';
import { startWorker } from '@hindsight/server-worker';

async function main(): Promise<void> {
  await startWorker(loadConfig());
}

main().catch((e: unknown) => {
  console.error(startupFailureLine('hindsight-worker', e) ?? e);
  process.exit(1);
});
