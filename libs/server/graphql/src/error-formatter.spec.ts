import { GraphQLError } from 'graphql';
import { Pool } from 'pg';
import pino from 'pino';
import { AppError, limitExceeded, unauthenticated } from '@hindsight/server-common';
import { createErrorFormatter, formatGraphQLError, isTransientDatabaseError } from './error-formatter';

const log = pino({ level: 'silent' });
const asResolverError = (original: Error) => new GraphQLError(original.message, { path: ['createIncident'], originalError: original });

describe('database errors a retry will fix', () => {
  it('answers SERVICE_UNAVAILABLE, retryable, when every pooled connection is busy', async () => {
    // The real pg-pool error: one connection, held, and a second caller that times out waiting.
    const pool = new Pool({ host: '127.0.0.1', user: 'postgres', database: 'postgres', max: 1, connectionTimeoutMillis: 10_000 });
    const held = await pool.connect();
    // Only the wait for a free connection is short: connecting at all may take longer than 50 ms on a busy machine.
    pool.options.connectionTimeoutMillis = 50;
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

describe('the GraphQL error formatter', () => {
  function capture() {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    return { lines, format: createErrorFormatter(logger) };
  }
  const ctx = (actorId: string | null, body: Record<string, unknown>) => ({
    actor: actorId ? { id: actorId } : null, clientIp: '192.0.2.7', requestId: 'req-1', reply: { request: { method: 'POST', body } },
  });

  it('answers a limit refused before anything ran with its status, and logs it at warn with who and what', () => {
    const { lines, format } = capture();
    const refused = limitExceeded('TOO_MANY_ALIASES', 'The query uses 16 aliases; the limit is 15.', 15, 16);
    const out = format({ errors: [refused] }, ctx(null, { query: 'query Bomb { a: __typename }' }));
    expect(out.statusCode).toBe(400);
    expect(out.response).toEqual({ data: null, errors: [{ message: 'The query uses 16 aliases; the limit is 15.', extensions: { code: 'TOO_MANY_ALIASES', limit: 15, found: 16 } }] });
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'GraphQL request refused', userId: null, operationName: 'Bomb', clientIp: '192.0.2.7', requestId: 'req-1', codes: ['TOO_MANY_ALIASES'] })]);
  });

  it('keeps 200 for a resolver\'s error, logged at info with the user and the field', () => {
    const { lines, format } = capture();
    const bad = new AppError('input.title: is required', 'BAD_USER_INPUT', { field: 'input.title', reason: 'is required' }, 429);
    const resolverError = new GraphQLError(bad.message, { path: ['createIncident'], originalError: bad, extensions: bad.extensions });
    const out = format({ data: null, errors: [resolverError, new GraphQLError(unauthenticated().message, { path: ['me'], extensions: { code: 'UNAUTHENTICATED' } })] }, ctx('u1', { query: '{ x }', operationName: 'Declare' }));
    expect(out.statusCode).toBe(200);
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: 'GraphQL client error', userId: 'u1', operationName: 'Declare', codes: ['BAD_USER_INPUT', 'UNAUTHENTICATED'], fields: ['input.title'] })]);
  });

  it('logs a failure at error once, with who and what, and masks it', () => {
    const { lines, format } = capture();
    const out = format({ data: null, errors: [asResolverError(new Error('relation "x" does not exist'))] }, ctx('u1', { query: 'mutation Save { x }' }));
    expect(out.response.errors[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'unexpected error in a GraphQL operation', userId: 'u1', operationName: 'Save', clientIp: '192.0.2.7' })]);
  });
});
