import type { FastifyRequest } from 'fastify';
import { buildSchema, parse } from 'graphql';
import { DEFAULT_GRAPHQL_LIMITS } from '@hindsight/server-config';
import { AppError } from '@hindsight/server-common';
import { DocumentInvalid, HookContext, nulAt, RequestGuard } from './request.guard';

const schema = buildSchema(`
  type Item { id: ID! name: String }
  type Query { items(first: Int, search: String): [Item!]! me: Item }
`);

const limits = { ...DEFAULT_GRAPHQL_LIMITS, cost: 100, costPerMinute: 1000 };

function context(body: Record<string, unknown> = {}, actor: { id: string } | null = null): HookContext & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const reply = { request: { method: 'POST', body }, header: (k: string, v: string) => (headers[k] = v) };
  return { actor, clientIp: '10.0.0.1', reply, headers } as unknown as HookContext & { headers: Record<string, string> };
}

async function refusal(run: () => Promise<unknown>): Promise<Record<string, unknown> | null> {
  try {
    await run();
    return null;
  } catch (e) {
    if (e instanceof AppError) return { ...e.extensions, status: e.statusCode };
    if (e instanceof DocumentInvalid) return { invalid: e.errors.map((x) => x.message) };
    throw e;
  }
}

describe('RequestGuard', () => {
  it('refuses a malformed request before Fastify coerces it', async () => {
    const guard = new RequestGuard({ limits, defaultListSize: 20, rules: [], remember: 10 });
    const shape = (body: unknown, method = 'POST') => refusal(() => guard.checkShape({ method, body, query: body } as unknown as FastifyRequest));
    expect(await shape({ query: 1 })).toEqual({ code: 'BAD_USER_INPUT', field: 'query', reason: 'must be a string holding the GraphQL document, not number', status: 400 });
    expect(await shape({})).toMatchObject({ field: 'query', reason: 'is required: send the GraphQL document as "query"' });
    expect(await shape({ query: '' })).toMatchObject({ field: 'query' });
    expect(await shape([{ query: '{ me { id } }' }])).toMatchObject({ field: 'body' });
    expect(await shape('{ me { id } }')).toMatchObject({ field: 'body' });
    expect(await shape({ query: '{ me { id } }', variables: [] })).toMatchObject({ field: 'variables' });
    expect(await shape({ query: '{ me { id } }', variables: 'x' })).toMatchObject({ field: 'variables' });
    expect(await shape({ query: '{ me { id } }', operationName: 3 })).toMatchObject({ field: 'operationName' });
    expect(await shape({ query: '{ me { id } }', variables: null, operationName: null })).toBeNull();
    // GET carries variables as JSON text.
    expect(await shape({ query: '{ me { id } }', variables: '{}' }, 'GET')).toBeNull();
  });

  it('remembers an accepted document (no second check, no second charge) and never a refused one', async () => {
    const guard = new RequestGuard({ limits, defaultListSize: 20, rules: [], remember: 10 });
    const known = `{ ${'me { id } '.repeat(10)}}`;
    // Signed out: a tenth of 1,000 points a minute. First sight costs the document's 42 tokens.
    expect(await refusal(() => guard.preParsing(schema, known, context()))).toBeNull();
    expect(await refusal(() => guard.preParsing(schema, known, context()))).toBeNull();
    expect(await refusal(() => guard.preParsing(schema, known, context()))).toBeNull();
    const other = `{ ${'me { name } '.repeat(10)}}`;
    expect(await refusal(() => guard.preParsing(schema, other, context()))).toBeNull();
    const third = `{ ${'me { id name } '.repeat(5)}}`;
    expect(await refusal(() => guard.preParsing(schema, third, context()))).toMatchObject({ code: 'RATE_LIMITED', status: 429, limit: 100, found: 27 });
    const bomb = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    for (let i = 0; i < 2; i++) expect(await refusal(() => guard.preParsing(schema, bomb, context({}, { id: 'u1' })))).toMatchObject({ code: 'TOO_MANY_ALIASES' });
  });

  it('validates a new document itself, so an invalid one never reaches Mercurius', async () => {
    const guard = new RequestGuard({ limits, defaultListSize: 20, rules: [], remember: 10 });
    expect(await refusal(() => guard.preParsing(schema, '{ me { nope } }', context({}, { id: 'u1' })))).toEqual({ invalid: ['Cannot query field "nope" on type "Item". Did you mean "name"?'] });
    expect(await refusal(() => guard.preParsing(schema, '{ me { id }', context({}, { id: 'u1' })))).toEqual({ invalid: ['Syntax Error: Expected Name, found <EOF>.'] });
    expect(await refusal(() => guard.preParsing(schema, '{ items(first: 99) { id name } }', context({}, { id: 'u1' })))).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 100, found: 199, status: 400 });
  });

  it('prices each request with its variables, and charges the caller', async () => {
    const guard = new RequestGuard({ limits, defaultListSize: 20, rules: [], remember: 10 });
    const document = parse('query($n: Int) { items(first: $n) { id } }');
    const user = { id: 'u1' };
    expect(await refusal(() => guard.preExecution(schema, document, context({}, user), { n: 99 }))).toBeNull();
    expect(await refusal(() => guard.preExecution(schema, document, context({}, user), { n: 100 }))).toMatchObject({ code: 'QUERY_TOO_COMPLEX', found: 101 });
    // 1,000 a minute for a signed-in person: ten of 100 points, then the wait.
    for (let i = 0; i < 9; i++) await guard.preExecution(schema, document, context({}, user), { n: 99 });
    const ctx = context({}, user);
    expect(await refusal(() => guard.preExecution(schema, document, ctx, { n: 99 }))).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 6, limit: 1000, found: 100 });
    expect(ctx.headers).toEqual({ 'retry-after': '6' });
  });

  it('refuses a NUL character in any variable, naming the argument it is passed as', async () => {
    const guard = new RequestGuard({ limits, defaultListSize: 20, rules: [], remember: 10 });
    const document = parse('query($q: String) { items(search: $q) { id } }');
    expect(await refusal(() => guard.preExecution(schema, document, context({}, { id: 'u1' }), { q: 'disk\u0000' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search', status: 400 });
  });
});

describe('nulAt', () => {
  it('finds a NUL character in a string or a key, at any depth, without recursion', () => {
    expect(nulAt({ a: 'fine', b: ['x', { c: 'no\u0000' }] })).toEqual(['b', '1', 'c']);
    expect(nulAt({ 'k\u0000': 1 })).toEqual(['k\u0000']);
    expect(nulAt({ a: 'fine', b: [1, null, true] })).toBeNull();
    let deep: unknown = 'deep\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(nulAt({ v: deep })?.length).toBe(200_001);
  });
});
