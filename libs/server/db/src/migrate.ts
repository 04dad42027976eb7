import { createDataSource } from './data-source';
import { ensureDatabase } from './database-admin';

export interface MigrationReport {
  created: boolean;
  applied: string[];
}

/** Creates the database if needed and applies pending migrations (safe to run concurrently). */
export async function migrateDatabase(url: string): Promise<MigrationReport> {
  const created = await ensureDatabase(url);
  const ds = createDataSource({ url, poolSize: 1, applicationName: 'hindsight-migrate' });
  await ds.initialize();
  try {
    // An advisory lock so two processes starting together do not both run migrations.
    await ds.query('SELECT pg_advisory_lock(7211)');
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return { created, applied: applied.map((m) => m.name) };
    } finally {
      await ds.query('SELECT pg_advisory_unlock(7211)');
    }
  } finally {
    await ds.destroy();
  }
}

export async function revertLastMigration(url: string): Promise<void> {
  const ds = createDataSource({ url, poolSize: 1, applicationName: 'hindsight-migrate' });
  await ds.initialize();
  try {
    await ds.undoLastMigration({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
