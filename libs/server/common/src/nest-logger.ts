import type { LoggerService } from '@nestjs/common';
import type { Logger } from './logger';
import { StartupError } from './startup.errors';

// Nest's start-up chatter (every module loaded, every route mapped) matters when debugging,
// not in the log a person reads to see that the server is up.
const ROUTINE_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'GraphQLModule', 'NestApplication']);

/** Routes Nest's own log lines into the same structured pino stream. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}
  log(message: unknown, context?: string): void {
    if (context && ROUTINE_CONTEXTS.has(context)) this.pino.debug({ context }, String(message));
    else this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    // The process prints a start-up failure as its one line on the way out; Nest's exception
    // handler would print it first as a second, JSON copy.
    if (message instanceof StartupError) return;
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void { this.pino.warn({ context }, String(message)); }
  debug(message: unknown, context?: string): void { this.pino.debug({ context }, String(message)); }
  verbose(message: unknown, context?: string): void { this.pino.trace({ context }, String(message)); }
}
