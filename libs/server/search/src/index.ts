export * from './search.module';
export * from './search.service';
export * from './search.repository';
export * from './search.types';
