import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ReplicaReads } from '@hindsight/server-db';

/** One registry per process, with Node's default metrics and the HTTP ones. */
export function createMetricsRegistry(process: 'api' | 'worker'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ process });
  collectDefaultMetrics({ register: registry, prefix: 'hindsight_' });
  return registry;
}

export function httpMetrics(registry: Registry): { requests: Counter<'method' | 'route' | 'status'>; duration: Histogram<'method' | 'route'> } {
  return {
    requests: new Counter({ name: 'hindsight_http_requests_total', help: 'HTTP requests served', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    duration: new Histogram({ name: 'hindsight_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
  };
}

/** The read replica's state (DATABASE_READ_URL): up, replay lag, and where reads went and why. */
export function replicaMetrics(registry: Registry, reads: ReplicaReads): void {
  if (!reads.current.configured) return;
  new Gauge({
    name: 'hindsight_db_replica_up',
    help: 'The read replica answered its last check (1) or not (0)',
    registers: [registry],
    collect() {
      this.set(reads.current.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'hindsight_db_replica_lag_seconds',
    help: 'Replay lag of the read replica at its last check: 0 when it had replayed everything, else the age of its last replayed commit',
    registers: [registry],
    collect() {
      const lag = reads.current.lagSeconds;
      if (lag === null) this.reset();
      else this.set(lag);
    },
  });
  new Gauge({
    name: 'hindsight_db_replica_lag_bytes',
    help: 'WAL the read replica had still to replay at its last check',
    registers: [registry],
    collect() {
      const lag = reads.current.lagBytes;
      if (lag === null) this.reset();
      else this.set(lag);
    },
  });
  const routed = new Counter({
    name: 'hindsight_db_reads_total',
    help: 'Reports, exports and reviews by where they read (route: replica, or why the primary answered)',
    labelNames: ['route'],
    registers: [registry],
  });
  reads.onRoute = (route) => routed.inc({ route });
}
