export * from './smtp-receiver';
