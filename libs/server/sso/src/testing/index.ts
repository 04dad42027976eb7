export * from './test-provider';
export * from './provider-flow';
export * from './fake-id-token-provider';
