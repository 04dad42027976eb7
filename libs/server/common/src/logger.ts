import pino, { DestinationStream, Logger } from 'pino';
import pretty from 'pino-pretty';
import { traceFields } from './tracing';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/**
 * JSON lines unless LOG_FORMAT says otherwise: production (and anything piped into a log
 * collector) gets JSON; a person at a terminal gets one readable line per event.
 */
export function logFormat(env: Record<string, string | undefined> = process.env, isTty = Boolean(process.stdout.isTTY)): LogFormat {
  const wanted = env['LOG_FORMAT'];
  if (wanted === 'json' || wanted === 'pretty') return wanted;
  return isTty ? 'pretty' : 'json';
}

/** Structured logs on stdout; secrets never reach them. */
export function createLogger(name: string, level: string, format: LogFormat = logFormat()): Logger {
  const options = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.secret'], censor: '[redacted]' },
    // With tracing on, every line written inside a request or a job names its trace and span.
    mixin: traceFields,
  };
  if (format === 'json') return pino(options);
  // Synchronous and in-process (no transport thread): start-up lines appear in order with the
  // scripts' own output, and nothing is lost when the process exits at once.
  const stream: DestinationStream = pretty({ sync: true, colorize: Boolean(process.stdout.isTTY), translateTime: 'HH:MM:ss', ignore: 'pid,hostname,service,context', messageFormat: '{if context}[{context}] {end}{msg}' });
  return pino(options, stream);
}
