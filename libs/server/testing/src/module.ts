import 'reflect-metadata';
import { DynamicModule, INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { AuditModule } from '@hindsight/server-audit';
import { ConfigModule, loadConfig, ResolvedConfig } from '@hindsight/server-config';
import { DatabaseModule } from '@hindsight/server-db';
import { createTestDatabase, Rows, TestDatabase } from '@hindsight/server-db/testing';
import type { SessionActor } from '@hindsight/server-graphql';
import type { Role } from '@hindsight/domain';

/** The settings every test process starts from (the API harness's too): quiet, loopback receivers allowed. */
export function testEnv(db: TestDatabase, env: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    // Tests' receivers (webhooks, SMTP, fake trackers) listen on loopback, which the outbound
    // guard refuses unless allowed; a test of the guard itself overrides this.
    OUTBOUND_ALLOWLIST: '127.0.0.1,::1,localhost',
    ...env,
  };
}

/** The configuration `env` makes over the test database (a throw-away JWT secret file). */
export function testConfig(db: TestDatabase, env: Record<string, string> = {}): ResolvedConfig {
  return loadConfig(testEnv(db, env), join(mkdtempSync(join(tmpdir(), 'hs-secret-')), 'jwt'));
}

export interface ModuleHarness {
  app: INestApplicationContext;
  db: TestDatabase;
  config: ResolvedConfig;
  /** A pool on the test database: set up and inspect rows. */
  sql: Pool;
  /** Rows written straight into the test database. */
  rows: Rows;
  /** A provider of the modules (a service, a repository). */
  get<T>(token: Type<T> | string | symbol): T;
  /** A new person (a users row, no password) acting as a signed-in caller would: what a service's `actor` argument takes. */
  actor(role?: Role): Promise<SessionActor>;
  close(): Promise<void>;
}

export interface TestModuleOptions {
  /** Settings over the test defaults (`testEnv`). */
  env?: Record<string, string>;
  /** The database to use instead of a fresh clone of the template (dropped on close all the same). */
  db?: TestDatabase;
}

/**
 * A room's Nest modules without the API: the configuration, the database (its own clone of
 * the migrated template) and the audit log the API provides to every room, then `modules`,
 * initialised as an application context (no HTTP server, no GraphQL schema, no sign-in). For
 * specs of a room's services, repositories and database functions; specs of what a client
 * sees (GraphQL, REST, sessions, roles) start the API (`startApi`).
 *
 *   const room = await testModule([InsightsModule]);
 *   const report = await room.get(InsightsService).reliabilityReport({ from, to });
 */
export async function testModule(modules: (Type | DynamicModule)[], options: TestModuleOptions = {}): Promise<ModuleHarness> {
  const db = options.db ?? (await createTestDatabase());
  const config = testConfig(db, options.env);
  class TestRoot {}
  Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, AuditModule, ...modules] })(TestRoot);
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(TestRoot, { logger: false, abortOnError: false });
    await app.init();
  } catch (error) {
    await db.drop();
    throw error;
  }
  const sql = new Pool({ connectionString: db.url, max: 4 });
  const rows = new Rows(sql);
  return {
    app,
    db,
    config,
    sql,
    rows,
    get: <T>(token: Type<T> | string | symbol) => app.get<T>(token, { strict: false }),
    actor: async (role: Role = 'ADMIN') => {
      const email = `${role.toLowerCase()}-${randomBytes(3).toString('hex')}@module.test`;
      const name = `${role[0]}${role.slice(1).toLowerCase()} caller`;
      return { id: await rows.user({ email, name, role }), role, email, name, teamIds: [], via: 'session' };
    },
    close: async () => {
      await sql.end();
      await app.close();
      await db.drop();
    },
  };
}
