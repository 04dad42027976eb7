export * from './test-database';
export * from './local-services';
export * from './server-entry';
export * from './test-time';
export * from './rows';
