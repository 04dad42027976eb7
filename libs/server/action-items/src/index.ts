export * from './action-items.module';
export * from './action-items.types';
export * from './action-items.repository';
export * from './action-items.loaders';
export * from './action-items.service';
