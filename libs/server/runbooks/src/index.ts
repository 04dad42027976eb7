export * from './runbooks.module';
export * from './runbooks.types';
export * from './runbooks.repository';
export * from './runbooks.service';
export * from './runbooks.loaders';
