import type { Pool, QueryResult } from 'pg';
import { DataSource, DataSourceOptions, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { readScopes, replicaUnavailable } from './read-scope';
import { SqlCounter } from './sql-counter';
import { installTimestamptzParser } from './timestamptz.parser';

export interface DataSourceSettings {
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  applicationName?: string;
  /** Observes every statement (for tests that count SQL per request). */
  sqlCounter?: SqlCounter;
  /** How long to wait for a connection before the statement fails (default 5 s). */
  connectionTimeoutMs?: number;
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
    const scope = readScopes.getStore();
    if (scope?.primary === this) {
      // Inside a read scope (a report, an export, the review): the replica answers, or the
      // primary when the replica is gone (reads are safe to repeat).
      try {
        return await scope.replica.query<T>(query, parameters);
      } catch (e) {
        if (!replicaUnavailable(e)) throw e;
        scope.replicaFailed(e);
      }
    }
    return this.poolQuery<T>(query, parameters);
  }

  /**
   * Inside a read scope a transaction (a report's REPEATABLE READ snapshot) runs on the
   * replica, or on the primary when the replica fails before the work is done.
   */
  override async transaction<T>(isolationOrRun: IsolationLevel | ((em: EntityManager) => Promise<T>), run?: (em: EntityManager) => Promise<T>): Promise<T> {
    const scope = readScopes.getStore();
    const on = (ds: DataSource): Promise<T> => (typeof isolationOrRun === 'function' ? ds.transaction(isolationOrRun) : ds.transaction(isolationOrRun, run as (em: EntityManager) => Promise<T>));
    if (scope?.primary === this) {
      try {
        return await on(scope.replica);
      } catch (e) {
        if (!replicaUnavailable(e)) throw e;
        scope.replicaFailed(e);
      }
    }
    // A transaction whose connection could not be made had not begun: it is tried again (see CONNECT_RETRY).
    for (let attempt = 1; ; attempt++) {
      let begun = false;
      const body = (em: EntityManager): Promise<T> => {
        begun = true;
        return (typeof isolationOrRun === 'function' ? isolationOrRun : (run as (em: EntityManager) => Promise<T>))(em);
      };
      try {
        return await (typeof isolationOrRun === 'function' ? super.transaction(body) : super.transaction(isolationOrRun, body));
      } catch (e) {
        if (begun || !connectRefused(e) || attempt >= CONNECT_RETRY.attempts) throw e;
        await sleep(CONNECT_RETRY.delayMs * attempt);
      }
    }
  }

  private async poolQuery<T>(query: string, parameters?: unknown[]): Promise<T> {
    const pool = (this.driver as PostgresDriver).master as Pool;
    this.logger.logQuery(query, parameters);
    let raw: QueryResult | QueryResult[];
    for (let attempt = 1; ; attempt++) {
      try {
        raw = await pool.query(query, parameters);
        break;
      } catch (e) {
        // Refused before the statement was sent, or a read whose connection was lost (a
        // pooler restarting): safe to send again once the server is back.
        if ((connectRefused(e) || (connectionLost(e) && plainRead(query))) && attempt < CONNECT_RETRY.attempts) {
          await sleep(CONNECT_RETRY.delayMs * attempt);
          continue;
        }
        this.logger.logQueryError(e as Error, query, parameters);
        throw new QueryFailedError(query, parameters, e as Error);
      }
    }
    // TypeORM's shapes: UPDATE and DELETE answer [rows, count]; several statements at once, nothing.
    if (Array.isArray(raw)) return undefined as T;
    return (raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows) as T;
  }
}

/**
 * A new connection refused (PgBouncer or Postgres restarting, a failover moving the address):
 * the statement never left, so it is sent again a few times over about 1.5 s before the error
 * reaches the caller. A connection lost under a statement is retried only for plain reads.
 */
const CONNECT_RETRY = { attempts: 6, delayMs: 100 } as const;

function connectRefused(e: unknown): boolean {
  const err = ((e as { driverError?: unknown }).driverError ?? e) as { code?: string; message?: string };
  return err.code === 'ECONNREFUSED' || err.code === '57P03' || /the database system is (starting up|shutting down)|pgbouncer cannot connect to server/i.test(err.message ?? '');
}

/** The connection went away under the statement: whether it ran is unknown, so only reads are repeated. */
function connectionLost(e: unknown): boolean {
  const err = ((e as { driverError?: unknown }).driverError ?? e) as { code?: string; message?: string };
  return err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === '57P01' || /Connection terminated|Client has encountered a connection error|server closed the connection|server conn crashed|client_login_timeout|database removed|pgbouncer .*shutdown/i.test(err.message ?? '');
}

/** A statement that only reads (no locking clause, no sequence or setting it could change), so running it twice changes nothing. */
function plainRead(sql: string): boolean {
  return /^\s*SELECT\b/i.test(sql) && !/\bFOR\s+(UPDATE|SHARE|NO KEY UPDATE|KEY SHARE)\b|\bnextval\s*\(|\bset_config\s*\(|\bpg_advisory/i.test(sql);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
      connectionTimeoutMillis: settings.connectionTimeoutMs ?? 5000,
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
