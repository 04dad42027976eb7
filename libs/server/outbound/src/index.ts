export * from './outbound.guard';
export * from './outbound.module';
export * from './smtp.socket';
