export * from './create-worker';
export * from './worker.module';
export * from './maintenance.processor';
export * from './chase.processor';
export * from './delivery.processor';
export * from './outbox.relay';
export * from './worker.metrics';
export * from './worker.connections';
