import 'reflect-metadata';
import { ConfigError, loadConfig } from '@hindsight/server-config';
import { startWorker } from '@hindsight/server-worker';

startWorker(loadConfig()).catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
