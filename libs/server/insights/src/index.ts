export * from './insights.module';
export * from './insights.types';
export * from './insights.repository';
export * from './report.sql';
export * from './report.rows';
export type { ReportRows, PeriodRow } from './report.assembly';
export * from './insights.service';
export * from './insights.loaders';
export * from './review.types';
