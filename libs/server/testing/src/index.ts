export * from './gql';
export * from './scenario';
export * from './rows';
export * from './module';
export * from './select';
