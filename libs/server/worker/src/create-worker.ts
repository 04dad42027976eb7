import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, NestPinoLogger } from '@hindsight/server-common';
import { ResolvedConfig } from '@hindsight/server-config';
import { WorkerHealthServer } from './worker-health.server';
import { WorkerModule } from './worker.module';

/**
 * The worker process: a Nest application context (no API) running the queue processors.
 * SIGTERM/SIGINT close the processors, which wait for their active jobs, then the connections.
 */
export async function startWorker(config: ResolvedConfig): Promise<INestApplicationContext> {
  const log = createLogger('hindsight-worker', config.logLevel);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: new NestPinoLogger(log), abortOnError: false });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing active jobs');
    app.get(WorkerHealthServer).beforeShutdown();
    app.close().then(
      () => { log.info('worker stopped'); process.exit(0); },
      (e: unknown) => { log.error({ err: e }, 'unclean shutdown'); process.exit(1); },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.init();
  log.info('worker started');
  return app;
}
