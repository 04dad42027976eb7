export * from './gql';
export * from './scenario';
export { daysAgo, daysFromNow, Rows } from '@hindsight/server-db/testing';
export type { Queryable, When } from '@hindsight/server-db/testing';
export * from './module';
export * from './refusal';
export * from './select';
