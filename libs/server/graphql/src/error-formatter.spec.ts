import { GraphQLError } from 'graphql';
import { Pool } from 'pg';
import pino from 'pino';
import { formatGraphQLError, isTransientDatabaseError } from './error-formatter';

const log = pino({ level: 'silent' });
const asResolverError = (original: Error) => new GraphQLError(original.message, { path: ['createIncident'], originalError: original });

describe('database errors a retry will fix', () => {
  it('answers SERVICE_UNAVAILABLE, retryable, when every pooled connection is busy', async () => {
    // The real pg-pool error: one connection, held, and a second caller that times out waiting.
    const pool = new Pool({ host: '127.0.0.1', user: 'postgres', database: 'postgres', max: 1, connectionTimeoutMillis: 50 });
    const held = await pool.connect();
    const busy = await pool.connect().then(
      () => null,
      (e: Error) => e,
    );
    held.release();
    await pool.end();
    expect(busy).toBeInstanceOf(Error);
    expect(isTransientDatabaseError(busy)).toBe(true);
    const formatted = formatGraphQLError(asResolverError(busy!), log);
    expect(formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect(formatted.message).toMatch(/Try again/);
    expect(formatted.message).not.toMatch(/timeout exceeded|pool/i);
  });

  it('treats a refused connection and a server shutting down as unavailable', async () => {
    const pool = new Pool({ host: '127.0.0.1', port: 1, user: 'postgres', database: 'postgres', max: 1 });
    const refused = await pool.query('SELECT 1').then(
      () => null,
      (e: Error) => e,
    );
    await pool.end();
    expect(isTransientDatabaseError(refused)).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
  });

  it('still masks a failing statement as an internal error', () => {
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });
    expect(isTransientDatabaseError(syntax)).toBe(false);
    const formatted = formatGraphQLError(asResolverError(syntax), log);
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(formatted.message).not.toMatch(/SELEC/);
  });
});
