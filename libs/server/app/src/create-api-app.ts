import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';
import pino from 'pino';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ResolvedConfig } from '@hindsight/server-config';
import { ReplicaReads } from '@hindsight/server-db';
import { createMetricsRegistry, httpMetrics, replicaMetrics } from '@hindsight/server-ops';
import { ApiModule } from './api.module';
import { registerSecurityHeaders } from './security-headers';
import { AppError, createLogger, NestPinoLogger, startServerSpan, startTracing, stopTracing } from '@hindsight/server-common';
import { ActorCache } from '@hindsight/server-identity';
import { context as otelContext, type Span, SpanStatusCode } from '@opentelemetry/api';

/** Body limit of the REST routes (alert intake, tracker webhooks, SCIM); /graphql has its own (GRAPHQL_MAX_BODY_BYTES). */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

export interface ApiAppOptions {
  /** Built web app to serve at `/` (one port for everything); skipped when absent. */
  webRoot?: string | null;
}

/**
 * Hashed assets never change under their name, so browsers keep them for a year without
 * asking; everything else (index.html above all, which names the current assets) is
 * revalidated on every use, so an upgrade is seen at the next page load.
 */
export function webCacheControl(filePath: string): string {
  return /[\\/]assets[\\/]/.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Default location of the production web build, relative to the repository root. */
export const DEFAULT_WEB_ROOT = join(process.cwd(), 'dist', 'apps', 'web');

// Requests a browser may send cross-site without a preflight: refused on /graphql (CSRF).
const SIMPLE_CONTENT_TYPES = /^(text\/plain|application\/x-www-form-urlencoded|multipart\/form-data)/i;

function csrfGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.url.startsWith('/graphql')) return;
    const type = request.headers['content-type'] ?? '';
    const forcedPreflight = request.headers['x-hindsight-csrf'] !== undefined || request.headers['apollo-require-preflight'] !== undefined;
    if ((request.method === 'GET' && !forcedPreflight) || (request.method === 'POST' && (type === '' || SIMPLE_CONTENT_TYPES.test(type)) && !forcedPreflight)) {
      // Thrown, not sent: the GraphQL error formatter answers it (400) and logs it with the caller.
      throw new AppError('Send GraphQL as POST with "Content-Type: application/json" (or add an "X-Hindsight-CSRF" header); this protects against cross-site request forgery.', 'CSRF_REFUSED', {}, 400);
    }
  });
}

/** REST answers a person should look into (refusals, abuse) at `warn`; other client errors at `info`. */
const WARN_STATUSES = new Set([403, 413, 429]);

/**
 * A server span per request (OpenTelemetry, when OTEL_EXPORTER_OTLP_ENDPOINT is set), made the
 * active context from preHandler on: the body has been read by then, and the handler, Nest's
 * guards and every resolver run inside it, so their logs, queue jobs and outbound calls join it.
 */
function traceRequests(app: FastifyInstance): void {
  const spans = new WeakMap<FastifyRequest, { span: Span; context: ReturnType<typeof otelContext.active> }>();
  app.addHook('onRequest', (request, _reply, done) => {
    const started = startServerSpan(request.method, request.headers);
    if (started) spans.set(request, started);
    done();
  });
  app.addHook('preHandler', (request, _reply, done) => {
    const started = spans.get(request);
    if (!started) return done();
    const operation = (request.body as { operationName?: unknown } | undefined)?.operationName;
    if (typeof operation === 'string') started.span.setAttribute('graphql.operation.name', operation);
    otelContext.with(started.context, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const started = spans.get(request);
    if (started) {
      const route = request.routeOptions.url ?? 'unmatched';
      started.span.updateName(`${request.method} ${route}`);
      started.span.setAttributes({ 'http.route': route, 'http.response.status_code': reply.statusCode });
      if (reply.statusCode >= 500) started.span.setStatus({ code: SpanStatusCode.ERROR });
      started.span.end();
    }
    done();
  });
  app.addHook('onClose', (_app, done) => void stopTracing().then(() => done()));
}

export async function createApiApp(config: ResolvedConfig, options: ApiAppOptions = {}): Promise<NestFastifyApplication> {
  startTracing(config.tracing, 'hindsight-api');
  const log = createLogger('hindsight-api', config.logLevel);
  const registry = createMetricsRegistry('api');
  const http = httpMetrics(registry);
  // Fastify logs every request twice at `info`; routine traffic is not news, so its logger
  // keeps warnings and errors only, and one `debug` line per response is written below.
  const fastifyLog = log.levelVal < pino.levels.values['warn'] ? log.child({}, { level: 'warn' }) : log;
  const adapter = new FastifyAdapter({ loggerInstance: fastifyLog, bodyLimit: BODY_LIMIT_BYTES, trustProxy: process.env['TRUST_PROXY'] === 'true' });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, log, registry), adapter, { logger: new NestPinoLogger(log), abortOnError: false, rawBody: true });
  app.enableShutdownHooks();
  replicaMetrics(registry, app.get(ReplicaReads));

  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  if (config.tracing) traceRequests(fastify);
  csrfGuard(fastify);
  registerSecurityHeaders(fastify, config.publicUrl);
  // SCIM clients (Okta, Entra ID) send their JSON as application/scim+json.
  fastify.addContentTypeParser('application/scim+json', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, fastify.getDefaultJsonParser('error', 'error'));
  const actors = app.get(ActorCache);
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    http.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    http.duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    // The path only: query strings carry single-use secrets (the OIDC callback's code and state).
    const line = { method: request.method, url: request.url.split('?', 1)[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime), clientIp: request.ip };
    if (reply.statusCode >= 500) log.error(line, 'request failed');
    // /graphql's client errors are logged by its error formatter, with the operation and codes.
    else if (reply.statusCode >= 400 && route !== '/graphql') {
      // A 401 had no valid caller: no second look-up of a bad token.
      const userId = reply.statusCode === 401 ? null : await actors.actorFromHeader(request.headers.authorization).then((a) => a?.id ?? null, () => null);
      if (WARN_STATUSES.has(reply.statusCode)) log.warn({ ...line, userId }, 'request refused');
      else log.info({ ...line, userId }, 'client error');
    } else log.debug(line, 'request');
  });

  const webRoot = options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot;
  if (webRoot && existsSync(join(webRoot, 'index.html'))) {
    await fastify.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // The build writes .br and .gz beside each file (apps/web/vite.config.mts); no CPU is
      // spent compressing per request.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) => {
        res.setHeader('cache-control', webCacheControl(path));
        res.setHeader('vary', 'accept-encoding');
      },
    });
    // Client-side routes (e.g. /incidents/INC-12) get the app shell; unknown API paths stay 404.
    // A catch-all GET route, not a not-found handler: Nest sets Fastify's (only) one in init().
    // Files and API routes are more specific, so they still win.
    fastify.get('/*', (request, reply) => {
      const api = /^\/(graphql|health|metrics|api|scim)(\/|$)/.test(request.url);
      if (!api && (request.headers.accept ?? '').includes('text/html')) return reply.sendFile('index.html');
      return reply.status(404).send({ error: 'Not Found', message: `No route ${request.method} ${request.url}` });
    });
  }
  await app.init();
  return app;
}
