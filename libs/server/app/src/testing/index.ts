export * from './api-harness';
export * from './api-fork';
export * from './api-world';
export * from './api.child';
