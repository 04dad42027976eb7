import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SqlCounter } from './sql-counter';

export interface DataSourceSettings {
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  applicationName?: string;
  /** Observes every statement (for tests that count SQL per request). */
  sqlCounter?: SqlCounter;
}

/** The one DataSource definition shared by the API, the worker, the CLI and the tests. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  const options: DataSourceOptions = {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: settings.applicationName ?? 'hindsight',
    poolSize: settings.poolSize ?? 10,
    logger: settings.sqlCounter,
    extra: {
      // Fail fast rather than queue forever when Postgres is away; the pool reconnects by itself.
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      keepAlive: true,
    },
  };
  return new DataSource(options);
}
