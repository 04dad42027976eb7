export * from './drafts.module';
export * from './drafts.service';
export * from './drafts.types';
