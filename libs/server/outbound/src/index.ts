export * from './outbound.guard';
export * from './outbound.module';
