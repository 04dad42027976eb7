export * from './api.module';
export * from './create-api-app';
export * from './schema.printer';
export * from './redis.provider';
