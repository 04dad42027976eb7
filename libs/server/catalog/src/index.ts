export * from './catalog.module';
export * from './catalog.types';
export * from './catalog.repository';
export * from './catalog.loaders';
export * from './catalog.service';
export * from './legacy-runbook.port';
export * from './service-names.port';
