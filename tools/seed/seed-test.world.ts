import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig, ResolvedConfig } from '@hindsight/server-config';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';

/** What a seeding or import spec runs against: its own database, the config the command would load for it, and a client to read what it wrote. */
export interface SeedTestWorld {
  db: TestDatabase;
  config: ResolvedConfig;
  pg: Client;
  /** Closes the client and drops the database. */
  close(): Promise<void>;
}

/** `name` keeps this spec's admin, secret and queues apart from other specs running at once. */
export async function seedTestWorld(name: string): Promise<SeedTestWorld> {
  const db = await createTestDatabase();
  const config = loadConfig(
    {
      NODE_ENV: 'test', DATABASE_URL: db.url, REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      HINDSIGHT_ADMIN_EMAIL: `admin@${name}.test`, HINDSIGHT_ADMIN_PASSWORD: 'admin-password-1', LOG_LEVEL: 'silent',
      JWT_SECRET: `${name}-test-secret-`.repeat(3), QUEUE_PREFIX: `${name}-test-${process.pid}`,
    },
    join(mkdtempSync(join(tmpdir(), 'hs-secret-')), 'jwt'),
  );
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  return {
    db,
    config,
    pg,
    close: async () => {
      await pg.end();
      await db.drop();
    },
  };
}
