export * from './fake-trackers';
