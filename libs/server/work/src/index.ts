export * from './work.module';
export * from './work.types';
export * from './extension-requests.service';
export * from './my-work.service';
export type { ExtensionRequestRow } from './extension-requests.repository';
export type { MyWorkList } from './my-work.repository';
export * from './work-queue.service';
