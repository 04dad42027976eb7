export * from './audit.repository';
export * from './audit.resolver';
export * from './audit.module';
