import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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
