import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ResolvedConfig } from '@hindsight/server-config';
import { DATA_SOURCE, SqlCounter } from '@hindsight/server-db';
import { createTestDatabase, TestDatabase } from '@hindsight/server-db/testing';
import { testConfig } from '@hindsight/server-testing';
import type { DataSource } from 'typeorm';
import { createApiApp } from '../create-api-app';

/** The loopback addresses tests' receivers listen on, allowed for outbound requests. */
export const LOOPBACK_ALLOWLIST = '127.0.0.1,::1,localhost';

export const TEST_ADMIN = { email: 'admin@test.local', password: 'admin-password-1' } as const;

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
}

export interface ApiHarness {
  app: NestFastifyApplication;
  url: string;
  db: TestDatabase;
  config: ResolvedConfig;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResponse<T>>;
  login(email?: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real API server on a random loopback port, over its own migrated database cloned from
 * the template, with the first ADMIN bootstrapped. One per test file (beforeAll/afterAll).
 */
export interface StartApiOptions {
  webRoot?: string | null;
  /** Sees every SQL statement the API runs (tests that prove a page costs O(1) queries). */
  sqlCounter?: SqlCounter;
  /** A fixed port, for a PUBLIC_URL known before the start (what an OpenID Provider redirects to). */
  port?: number;
  /** Settings that depend on the test database (DATABASE_URL through a pooler, a replica). */
  databaseEnv?: (db: TestDatabase) => Record<string, string>;
  /** The database to serve instead of a fresh clone of the template (dropped on close all the same). */
  db?: TestDatabase;
}

export async function startApi(env: Record<string, string> = {}, options: StartApiOptions = {}): Promise<ApiHarness> {
  const db = options.db ?? (await createTestDatabase());
  const config = testConfig(db, {
    HINDSIGHT_ADMIN_EMAIL: TEST_ADMIN.email,
    HINDSIGHT_ADMIN_PASSWORD: TEST_ADMIN.password,
    ...env,
    ...options.databaseEnv?.(db),
  });
  const app = await createApiApp(config, { webRoot: options.webRoot ?? null });
  if (options.sqlCounter) app.get<DataSource>(DATA_SOURCE).setOptions({ logger: options.sqlCounter });
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string | null): Promise<GqlResponse<T>> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Omit<GqlResponse<T>, 'status'>;
    return { status: res.status, ...body };
  };

  const login = async (email: string = TEST_ADMIN.email, password: string = TEST_ADMIN.password): Promise<string> => {
    const res = await gql<{ login: { token: string } }>(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: email, p: password });
    if (!res.data) throw new Error(`login failed for ${email}: ${JSON.stringify(res.errors)}`);
    return res.data.login.token;
  };

  return {
    app, url, db, config, gql, login,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
