// Boots the real API inside the seed/import process, so demo and imported data go through
// the same validation, policies (due dates), audit entries and search vectors as a user's
// requests would. It listens on an ephemeral loopback port and is driven over GraphQL.
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import { createApiApp } from '@hindsight/server-app';
import { normaliseEmail } from '@hindsight/domain';
import type { ResolvedConfig } from '@hindsight/server-config';
import { DATA_SOURCE } from '@hindsight/server-db';
import { AuthService } from '@hindsight/server-identity';

export interface GqlError {
  message: string;
  extensions?: { code?: string; field?: string };
}

export class GqlRequestError extends Error {
  constructor(readonly operation: string, readonly errors: GqlError[]) {
    super(`${operation}: ${errors.map((e) => `${e.message}${e.extensions?.field ? ` (${e.extensions.field})` : ''}`).join('; ')}`);
    this.name = 'GqlRequestError';
  }
}

export interface AdminUser {
  id: string;
  email: string;
}

export interface InProcessApi {
  app: NestFastifyApplication;
  /** The API's own DataSource: reads, and the few clearly-marked history touch-ups. */
  ds: DataSource;
  /** The administrator the tools act as. */
  admin: AdminUser;
  /** A sign-in token for a user, as if they had signed in (no password needed in-process). */
  tokenFor(userId: string): Promise<string>;
  /** Runs one GraphQL operation; throws GqlRequestError when the API refuses it. */
  gql<T>(token: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  /** The API's loopback origin, for its REST endpoints (POST /api/changes). */
  origin: string;
  close(): Promise<void>;
}

/**
 * The administrator to act as: the one named by HINDSIGHT_ADMIN_EMAIL (the API creates it on
 * start when the database has no user yet), otherwise the oldest active ADMIN.
 */
async function findAdmin(ds: DataSource, config: ResolvedConfig): Promise<AdminUser> {
  const byEmail = config.adminEmail
    ? await ds.query(`SELECT id, email FROM users WHERE email = $1 AND role = 'ADMIN' AND active`, [normaliseEmail(config.adminEmail) ?? config.adminEmail])
    : [];
  const [row] = (byEmail.length ? byEmail : await ds.query(`SELECT id, email FROM users WHERE role = 'ADMIN' AND active ORDER BY created_at, id LIMIT 1`)) as AdminUser[];
  if (!row) {
    throw new Error(
      'No active administrator to act as. Set HINDSIGHT_ADMIN_EMAIL and HINDSIGHT_ADMIN_PASSWORD (the first ADMIN is created from them ' +
        'when the database has no user yet; tools/up.sh sets them), or create an ADMIN user, then run this again.',
    );
  }
  return row;
}

export async function startInProcessApi(config: ResolvedConfig): Promise<InProcessApi> {
  // The tools write a year of history as fast as the API takes it: no per-caller cost budget.
  const app = await createApiApp({ ...config, graphqlLimits: { ...config.graphqlLimits, costPerMinute: 0 } }, { webRoot: null });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const origin = `http://127.0.0.1:${port}`;
    const url = `${origin}/graphql`;
    const ds = app.get<DataSource>(DATA_SOURCE);
    const auth = app.get(AuthService, { strict: false });
    const admin = await findAdmin(ds, config);

    const gql = async <T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T | null; errors?: GqlError[] };
      const operation = /^\s*(?:query|mutation)?\s*(?:\w+\s*)?(?:\([^)]*\))?\s*\{\s*(\w+)/.exec(query)?.[1] ?? 'graphql';
      if (body.errors?.length || !body.data) throw new GqlRequestError(operation, body.errors ?? [{ message: `HTTP ${res.status} without data` }]);
      return body.data;
    };

    return { app, ds, admin, gql, origin, tokenFor: (userId) => auth.startSession(userId), close: () => app.close() };
  } catch (e) {
    await app.close();
    throw e;
  }
}
