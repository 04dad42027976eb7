import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, NestPinoLogger, startTracing, stopTracing } from '@hindsight/server-common';
import { ResolvedConfig } from '@hindsight/server-config';
import { WorkerHealthServer } from './worker-health.server';
import { WorkerModule } from './worker.module';

/**
 * The worker process: a Nest application context (no API) running the queue processors.
 * SIGTERM/SIGINT close the processors, which wait for their active jobs, then the connections.
 */
export async function startWorker(config: ResolvedConfig): Promise<INestApplicationContext> {
  startTracing(config.tracing, 'hindsight-worker');
  const log = createLogger('hindsight-worker', config.logLevel);
  let app: INestApplicationContext | null = null;
  let stopSignal: string | null = null;
  let closing = false;
  const close = (ctx: INestApplicationContext, signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing active jobs');
    ctx.get(WorkerHealthServer).beforeShutdown();
    ctx.close().then(stopTracing).then(
      () => { log.info('worker stopped'); process.exit(0); },
      (e: unknown) => { log.error({ err: e }, 'unclean shutdown'); process.exit(1); },
    );
  };
  // Listening from the start: the health port answers while the processors still start, and a
  // signal then is honoured once the context exists instead of killing the process mid-way.
  const onSignal = (signal: string) => {
    stopSignal ??= signal;
    if (app) close(app, signal);
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: new NestPinoLogger(log), abortOnError: false });
  await app.init();
  if (stopSignal) close(app, stopSignal);
  else log.info('worker started');
  return app;
}
