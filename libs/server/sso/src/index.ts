export * from './sso.module';
export * from './sso.types';
