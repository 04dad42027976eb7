export * from './smtp-receiver';
export * from './chase-harness';
