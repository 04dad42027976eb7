export * from './policies.service';
export * from './settings.module';
export * from './settings.types';
