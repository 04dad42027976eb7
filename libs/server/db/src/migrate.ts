import { Client } from 'pg';
import type { SqlFunction } from '@hindsight/server-insights-sql';
import { createDataSource } from './data-source';
import { ensureDatabase } from './database-admin';
import { applyDeclaredFunctions, DECLARED_FUNCTIONS } from './declared-functions';

const MIGRATION_LOCK = 7211;

/**
 * Holds the migration lock for as long as `fn` runs, so two processes starting together do not
 * both run migrations. The lock is transaction-scoped on a connection of its own that stays in
 * one open transaction: through PgBouncer in transaction pooling a session lock would stay on
 * whichever server connection took it (and its unlock reach another), while an open
 * transaction keeps its server connection until it ends, and ending it releases the lock.
 */
async function withMigrationLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const holder = new Client({ connectionString: url, application_name: 'hindsight-migrate-lock' });
  // A lock holder dropped mid-way ends its transaction, and so the lock; the migration itself reports its own failure.
  holder.on('error', () => undefined);
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    try {
      return await fn();
    } finally {
      await holder.query('COMMIT').catch(() => undefined);
    }
  } finally {
    await holder.end().catch(() => undefined);
  }
}

export interface MigrationReport {
  created: boolean;
  applied: string[];
  /** Declared functions (re-)applied after the migrations, by signature, and the rebuilds they ran. */
  functions: string[];
  rebuilt: string[];
}

/**
 * Creates the database if needed, applies pending migrations, then the declared functions
 * whose definition changed (safe to run concurrently). `functions` is for tests.
 */
export async function migrateDatabase(url: string, functions: readonly SqlFunction[] = DECLARED_FUNCTIONS): Promise<MigrationReport> {
  const created = await ensureDatabase(url);
  return withMigrationLock(url, async () => {
    const ds = createDataSource({ url, poolSize: 1, applicationName: 'hindsight-migrate' });
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      const declared = await ds.transaction((em) => applyDeclaredFunctions((sql, params) => em.query(sql, params), functions));
      return { created, applied: applied.map((m) => m.name), functions: declared.applied, rebuilt: declared.rebuilt };
    } finally {
      await ds.destroy();
    }
  });
}

export async function revertLastMigration(url: string): Promise<void> {
  await withMigrationLock(url, async () => {
    const ds = createDataSource({ url, poolSize: 1, applicationName: 'hindsight-migrate' });
    await ds.initialize();
    try {
      await ds.undoLastMigration({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
  });
}
