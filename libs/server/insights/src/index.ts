export * from './insights.module';
export * from './insights.types';
export * from './insights.repository';
export * from './insights.service';
export * from './insights.loaders';
export * from './review.types';
