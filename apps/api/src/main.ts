import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@hindsight/server-config';
import { createApiApp } from '@hindsight/server-app';
import { listenStartupError, startupFailureLine } from '@hindsight/server-common';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  try {
    // Fastify's listen, not Nest's: Nest logs a failed listen as an error with a stack of its
    // own, before the one line below that says which setting to change.
    await (app.getHttpAdapter().getInstance() as unknown as FastifyInstance).listen({ port: config.port, host: config.host });
  } catch (e) {
    throw listenStartupError(e, 'PORT', config.port) ?? e;
  }
  new Logger('Hindsight').log(`API listening on ${config.host}:${config.port} (${config.publicUrl})`);
}

main().catch((e: unknown) => {
  console.error(startupFailureLine('hindsight-api', e) ?? e);
  process.exit(1);
});
