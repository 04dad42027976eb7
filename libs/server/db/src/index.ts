export * from './entities';
export * from './migrations';
export * from './data-source';
export * from './database-admin';
export * from './migrate';
export * from './sql-counter';
export * from './database.module';
export * from './sql';
