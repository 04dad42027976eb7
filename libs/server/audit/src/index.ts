export * from './audit.repository';
export * from './audit.service';
export * from './audit.resolver';
export * from './audit.module';
