export * from './work.module';
export * from './work.types';
export * from './extension-requests.repository';
export * from './extension-requests.service';
export * from './my-work.repository';
export * from './my-work.service';
