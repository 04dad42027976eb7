import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SqlCounter } from './sql-counter';
import { installTimestamptzParser } from './timestamptz.parser';

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
  installTimestamptzParser();
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
      // A connection that dies while checked out but idle between queries (a Postgres restart,
      // pg_terminate_backend) emits 'error' with no listener of the pool's or TypeORM's
      // attached, and an unhandled 'error' event ends the process. The pool and the query
      // that next uses the connection still see the failure; this only keeps the process up.
      onConnect: (client: { on(event: 'error', listener: (e: Error) => void): unknown }) => {
        client.on('error', () => undefined);
      },
    },
  };
  return new DataSource(options);
}
