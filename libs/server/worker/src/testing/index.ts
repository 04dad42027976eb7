export * from './smtp-receiver';
export * from './chase-harness';
export * from './adaptive-card.check';
export * from './worker-context';
export * from './worker-fleet';
