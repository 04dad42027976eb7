import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { RedisConnection } from '@hindsight/server-queue';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { listenStartupError } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import { checkPostgres, checkRedis, METRICS_UNAUTHORIZED, metricsAuthorized } from '@hindsight/server-ops';
import { ChaseProcessor } from './chase.processor';
import { DeliveryProcessor } from './delivery.processor';
import { heartbeatKey, MaintenanceProcessor } from './maintenance.processor';
import { WORKER_REDIS } from './worker.connections';
import { WorkerMetrics } from './worker.metrics';

/**
 * The worker has no API; this small server answers its health and metrics only, on
 * WORKER_HEALTH_HOST:WORKER_HEALTH_PORT (loopback by default; 0 picks a free port, for tests),
 * for orchestrators and Prometheus.
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('WorkerHealthServer');
  private server: Server | null = null;
  private shuttingDown = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(WORKER_REDIS) private readonly redis: RedisConnection,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly metrics: WorkerMetrics,
    private readonly maintenance: MaintenanceProcessor,
    private readonly chase: ChaseProcessor,
    private readonly deliveries: DeliveryProcessor,
  ) {
    const queueDepth = new Gauge({
      name: 'hindsight_queue_jobs',
      help: 'Jobs in each queue by state',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      collect: async () => {
        const sources = {
          maintenance: () => this.maintenance.depth(),
          chase: () => this.chase.depth(),
          deliveries: () => this.deliveries.depth(),
          'delivery-batches': () => this.deliveries.batchDepth(),
        };
        await Promise.all(
          Object.entries(sources).map(async ([queue, depth]) => {
            const counts = await depth().catch(() => ({}));
            for (const [state, n] of Object.entries(counts)) queueDepth.set({ queue, state }, n);
          }),
        );
      },
    });
  }

  address(): { address: string; port: number } | null {
    const a = this.server?.address();
    return typeof a === 'object' && a ? { address: a.address, port: a.port } : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req.url ?? '/', req.headers.authorization).then(({ status, body, type }) => {
        res.writeHead(status, { 'content-type': type, ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) });
        res.end(body);
      });
    });
    const server = this.server;
    const port = this.config.workerHealthPort;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(listenStartupError(e, 'WORKER_HEALTH_PORT', port, ' (several workers on one host: WORKER_HEALTH_PORT=0 picks a free port each)') ?? e));
      server.listen(port, this.config.workerHealthHost, resolve);
    });
    this.log.log(`health and metrics on port ${this.address()?.port} (${this.config.workerHealthHost})`);
  }

  private async handle(url: string, authorization: string | undefined): Promise<{ status: number; body: string; type: string }> {
    const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body), type: 'application/json' });
    if (url === '/health/live') return json(this.shuttingDown ? 503 : 200, { status: this.shuttingDown ? 'shutting-down' : 'ok' });
    if (url === '/health/ready') {
      const [postgres, redis] = await Promise.all([checkPostgres(this.ds), checkRedis(this.redis)]);
      const lastHeartbeat = redis.status === 'up' ? await this.redis.get(heartbeatKey(this.config.queuePrefix)).catch(() => null) : null;
      const ok = postgres.status === 'up' && redis.status === 'up' && !this.shuttingDown;
      return json(ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', checks: { postgres, redis }, lastHeartbeat });
    }
    if (url === '/metrics' && !metricsAuthorized(authorization, this.config.metricsToken)) return json(401, METRICS_UNAUTHORIZED);
    if (url === '/metrics') return { status: 200, body: await this.metrics.registry.metrics(), type: this.metrics.registry.contentType };
    return json(404, { error: 'Not Found' });
  }

  beforeShutdown(): void {
    this.shuttingDown = true;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
