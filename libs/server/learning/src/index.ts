export * from './learning.module';
export * from './learning.types';
export * from './learning.service';
export type { LearningScope } from './learning.repository';
