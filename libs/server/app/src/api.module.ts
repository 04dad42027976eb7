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
import { AccessGuard, complexityRule, createErrorFormatter, GraphqlExceptionFilter, inlinePlainFields, LoaderRegistry, RequestContext } from '@hindsight/server-graphql';
import { ActorCache, IdentityModule } from '@hindsight/server-identity';
import { CatalogModule } from '@hindsight/server-catalog';
import { IncidentsModule } from '@hindsight/server-incidents';
import { SettingsModule } from '@hindsight/server-settings';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { InsightsModule } from '@hindsight/server-insights';
import type { Logger } from '@hindsight/server-common';
import { ChaseModule } from '@hindsight/server-chase';
import { TrackersModule } from '@hindsight/server-trackers';
import { ResponsesModule } from '@hindsight/server-responses';
import { RunbooksModule } from '@hindsight/server-runbooks';
import { SearchModule } from '@hindsight/server-search';
import { SsoModule } from '@hindsight/server-sso';
import { ChangesModule } from '@hindsight/server-changes';
import { METRICS_REGISTRY, OpsController } from './ops.controller';
import { RedisModule } from './redis.provider';

export const GRAPHQL_LIMITS = { depth: 10, complexity: 5000, defaultListSize: 20 } as const;

export const FEATURE_MODULES = [AuditModule, IdentityModule, CatalogModule, IncidentsModule, SettingsModule, ActionItemsModule, InsightsModule, ChaseModule, ResponsesModule, TrackersModule, RunbooksModule, SsoModule, SearchModule, ChangesModule];

@Module({})
export class ApiModule {
  static forRoot(config: ResolvedConfig, log: Logger, registry: Registry): DynamicModule {
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
          useFactory: (actors: ActorCache) => actors.start().then(() => ({
            autoSchemaFile: true,
            sortSchema: true,
            path: '/graphql',
            graphiql: !config.production,
            jit: 1,
            transformSchema: inlinePlainFields,
            queryDepth: GRAPHQL_LIMITS.depth,
            validationRules: [
              complexityRule({ maximum: GRAPHQL_LIMITS.complexity, defaultListSize: GRAPHQL_LIMITS.defaultListSize }),
              ...(config.production ? [NoSchemaIntrospectionCustomRule] : []),
            ],
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
          })),
        }),
      ],
      controllers: [OpsController],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: GraphqlExceptionFilter },
        { provide: METRICS_REGISTRY, useValue: registry },
      ],
    };
  }
}
