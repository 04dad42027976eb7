export * from './metrics.registry';
export * from './health.checks';
export * from './metrics.auth';
