import { Controller, Get, Header, Headers, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { RedisConnection } from '@hindsight/server-queue';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import { checkPostgres, checkRedis, METRICS_UNAUTHORIZED, metricsAuthorized } from '@hindsight/server-ops';
import { RestCost } from '@hindsight/server-graphql';
import { REDIS } from './redis.provider';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

// Probes and scrapes must always answer: no budget is spent on them.
@RestCost(0)
@Controller()
export class OpsController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(REDIS) private readonly redis: RedisConnection,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready to serve when Postgres answers. Redis is checked and reported too, but only
   * degrades readiness: the API keeps serving reads and writes while Redis is down.
   */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    const [postgres, redis] = await Promise.all([checkPostgres(this.ds), checkRedis(this.redis)]);
    const status = postgres.status === 'down' ? 'unavailable' : redis.status === 'down' ? 'degraded' : 'ok';
    reply.status(postgres.status === 'up' ? 200 : 503);
    return { status, checks: { postgres, redis } };
  }

  /** Open unless METRICS_TOKEN is set; then only for `Authorization: Bearer <token>`. */
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!metricsAuthorized(authorization, this.config.metricsToken)) {
      reply.status(401).header('www-authenticate', 'Bearer').header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify(METRICS_UNAUTHORIZED);
    }
    return this.registry.metrics();
  }
}
