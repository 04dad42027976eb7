export * from './request-context';
export * from './access.decorators';
export * from './access.guard';
export * from './complexity.rule';
export * from './error-formatter';
export * from './enums.graphql';
export * from './plain-fields.transform';
export * from './selection';
