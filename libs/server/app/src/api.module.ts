import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { ConfigModule, ResolvedConfig } from '@hindsight/server-config';
import { DatabaseModule } from '@hindsight/server-db';
import { AuditModule } from '@hindsight/server-audit';
import { AccessGuard, CallerBudget, createErrorFormatter, GraphqlExceptionFilter, inlinePlainFields, LoaderRegistry, RequestContext, RequestGuard } from '@hindsight/server-graphql';
import { ActorCache, IdentityModule } from '@hindsight/server-identity';
import { CatalogModule } from '@hindsight/server-catalog';
import { IncidentsModule } from '@hindsight/server-incidents';
import { SettingsModule } from '@hindsight/server-settings';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { InsightsModule } from '@hindsight/server-insights';
import type { Logger } from '@hindsight/server-common';
import { ChaseModule } from '@hindsight/server-chase';
import { TrackersModule } from '@hindsight/server-trackers';
import { WorkModule } from '@hindsight/server-work';
import { RunbooksModule } from '@hindsight/server-runbooks';
import { SearchModule } from '@hindsight/server-search';
import { SsoModule } from '@hindsight/server-sso';
import { ChangesModule } from '@hindsight/server-changes';
import { DraftsModule } from '@hindsight/server-drafts';
import { SlackModule } from '@hindsight/server-slack';
import { LearningModule } from '@hindsight/server-learning';
import { McpModule } from '@hindsight/server-mcp';
import { METRICS_REGISTRY, OpsController } from './ops.controller';
import { RedisModule } from './redis.provider';
import { RestBudgetGuard } from './rest-budget.guard';

/** Assumed length of a list a query does not bound with `first`, when pricing it. */
export const DEFAULT_LIST_SIZE = 20;

/**
 * Documents Mercurius keeps parsed and compiled (graphql-jit); the request guard remembers
 * twice as many accepted documents (their text only, at most 12 kB each). A document of the
 * largest accepted size (1,000 tokens) takes about 420 kB parsed without locations and
 * compiled, so a cache an attacker fills with such documents holds about 128 × 420 kB ≈ 53 MB
 * (measured: limits.process.spec.ts); Mercurius's cache of refused documents stays empty, as
 * the guard never hands it one. The web app has 97 documents.
 */
export const DOCUMENT_CACHE_ENTRIES = 128;

export const FEATURE_MODULES = [AuditModule, IdentityModule, CatalogModule, IncidentsModule, SettingsModule, ActionItemsModule, InsightsModule, ChaseModule, WorkModule, TrackersModule, RunbooksModule, SsoModule, SearchModule, ChangesModule, DraftsModule, SlackModule, LearningModule, McpModule];

@Module({})
export class ApiModule {
  static forRoot(config: ResolvedConfig, log: Logger, registry: Registry): DynamicModule {
    // One budget per caller, spent by GraphQL and the REST routes alike (docs/security.md, "Limits").
    const budget = new CallerBudget(config.graphqlLimits);
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        ...FEATURE_MODULES,
        GraphQLModule.forRootAsync<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          imports: [IdentityModule],
          inject: [ActorCache],
          // The API remembers callers between requests, from when its change listener is up (ActorCache).
          useFactory: (actors: ActorCache) => actors.start().then(() => {
            const guard = new RequestGuard({
              limits: config.graphqlLimits,
              defaultListSize: DEFAULT_LIST_SIZE,
              rules: config.production ? [NoSchemaIntrospectionCustomRule] : [],
              remember: DOCUMENT_CACHE_ENTRIES * 2,
              budget,
            });
            return {
              autoSchemaFile: true,
              sortSchema: true,
              path: '/graphql',
              graphiql: !config.production,
              jit: 1,
              transformSchema: inlinePlainFields,
              // Depth, cost and the other limits, and validation itself, are the guard's (preParsing).
              cache: DOCUMENT_CACHE_ENTRIES,
              graphql: { parseOptions: { maxTokens: config.graphqlLimits.tokens, noLocation: true } },
              hooks: { preParsing: guard.preParsing, preExecution: guard.preExecution },
              additionalRouteOptions: { bodyLimit: config.graphqlLimits.bodyBytes, preValidation: guard.checkShape },
              // Never throws: Mercurius calls it again from its error handler, and a second failure
              // would reach Fastify's default handler, which shows the raw error (SQL, addresses).
              context: async (request: FastifyRequest, _reply: FastifyReply): Promise<RequestContext> => ({
                ...(await actors.actorFromHeader(request.headers.authorization).then(
                  (actor) => ({ actor }),
                  (actorError: unknown) => ({ actor: null, actorError }),
                )),
                loaders: new LoaderRegistry(),
                clientIp: request.ip,
                userAgent: request.headers['user-agent'],
                requestId: String(request.id ?? randomUUID()),
              }),
              errorFormatter: createErrorFormatter(log),
            };
          }),
        }),
      ],
      controllers: [OpsController],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: CallerBudget, useValue: budget },
        { provide: APP_GUARD, useClass: RestBudgetGuard },
        { provide: APP_FILTER, useClass: GraphqlExceptionFilter },
        { provide: METRICS_REGISTRY, useValue: registry },
      ],
    };
  }
}
