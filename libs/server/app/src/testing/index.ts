export * from './api-harness';
export * from './api-fork';
