import type { Pool, QueryResult } from 'pg';
import { DataSource, DataSourceOptions, QueryFailedError, QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
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

/**
 * A statement outside a transaction goes straight to the pool: TypeORM would otherwise create,
 * connect and release a QueryRunner and broadcast two events for each one, which every statement
 * of every page paid for (measured with bench:incident). Answers,
 * errors (QueryFailedError) and logging are TypeORM's; in a transaction its runner is used.
 */
class PooledDataSource extends DataSource {
  override async query<T = unknown>(query: string, parameters?: unknown[], queryRunner?: QueryRunner): Promise<T> {
    if (queryRunner || !this.isInitialized) return super.query<T>(query, parameters, queryRunner);
    const pool = (this.driver as PostgresDriver).master as Pool;
    this.logger.logQuery(query, parameters);
    let raw: QueryResult | QueryResult[];
    try {
      raw = await pool.query(query, parameters);
    } catch (e) {
      this.logger.logQueryError(e as Error, query, parameters);
      throw new QueryFailedError(query, parameters, e as Error);
    }
    // TypeORM's shapes: UPDATE and DELETE answer [rows, count]; several statements at once, nothing.
    if (Array.isArray(raw)) return undefined as T;
    return (raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows) as T;
  }
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
  return new PooledDataSource(options);
}
