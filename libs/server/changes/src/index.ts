export * from './changes.module';
export * from './changes.types';
export * from './changes.repository';
export * from './changes.service';
export * from './change-ingest.service';
export * from './change-sources.service';
export * from './change-signature.rule';
