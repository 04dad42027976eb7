export * from './metrics.registry';
export * from './health.checks';
