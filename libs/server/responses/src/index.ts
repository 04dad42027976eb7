export * from './responses.module';
export * from './responses.types';
export * from './extension-requests.repository';
export * from './extension-requests.service';
export * from './my-work.repository';
export * from './my-work.service';
