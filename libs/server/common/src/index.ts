export * from './errors';
export * from './logger';
export * from './paging';
export * from './nest-logger';
export * from './startup.errors';
export * from './secret-box';
export * from './secret-box.module';
export * from './worker-pool';
