import 'reflect-metadata';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Query, Resolver } from '@nestjs/graphql';
import { RESOLVER_PROPERTY_METADATA, RESOLVER_TYPE_METADATA } from '@nestjs/graphql/dist/graphql.constants';
import { AppError } from '@hindsight/server-common';
import { Access, ACCESS_KEY, AccessGuard, LoaderRegistry, Public, RequestContext } from '@hindsight/server-graphql';
import { ALL_RESOLVERS, buildApiSchema } from './schema.printer';

/*
 * Deny by default, checked on the real resolver classes: every @Query, @Mutation and
 * @ResolveField handler of the API carries @Public, @Authenticated or @RequireRole (on the
 * method or its class), read the way AccessGuard reads it. The ESLint rule
 * (tools/eslint/guarded-resolvers.rule.mjs) says the same at lint time.
 */

interface Handler { resolver: string; method: string; kind: string; access: Access | undefined }

const reflector = new Reflector();

function handlersOf(resolver: (typeof ALL_RESOLVERS)[number]): Handler[] {
  const proto = resolver.prototype as unknown as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== 'constructor' && typeof proto[name] === 'function')
    .map((name) => proto[name] as (...args: unknown[]) => unknown)
    // @Query/@Mutation record their root type on the method; @ResolveField marks it a property.
    .filter((fn) => Reflect.getMetadata(RESOLVER_TYPE_METADATA, fn) !== undefined || Reflect.getMetadata(RESOLVER_PROPERTY_METADATA, fn) === true)
    .map((fn) => ({
      resolver: resolver.name,
      method: fn.name,
      kind: Reflect.getMetadata(RESOLVER_PROPERTY_METADATA, fn) ? 'ResolveField' : String(Reflect.getMetadata(RESOLVER_TYPE_METADATA, fn)),
      access: reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [fn, resolver]),
    }));
}

const HANDLERS = ALL_RESOLVERS.flatMap(handlersOf);

it('finds the resolvers and every root operation of the schema among their handlers', async () => {
  expect(ALL_RESOLVERS.length).toBeGreaterThan(0);
  const schema = await buildApiSchema();
  const rootFields = Object.keys(schema.getQueryType()?.getFields() ?? {}).length + Object.keys(schema.getMutationType()?.getFields() ?? {}).length;
  expect(HANDLERS.filter((h) => h.kind === 'Query' || h.kind === 'Mutation')).toHaveLength(rootFields);
  expect(HANDLERS.some((h) => h.kind === 'ResolveField')).toBe(true);
});

it('every Query, Mutation and ResolveField handler declares its access', () => {
  const unguarded = HANDLERS.filter((h) => !h.access).map((h) => `${h.resolver}.${h.method} (@${h.kind})`);
  expect(unguarded).toEqual([]);
  for (const h of HANDLERS) expect(['public', 'authenticated', 'role']).toContain(h.access?.kind);
});

it('only sign-in, `me` and what the sign-in page offers are public', () => {
  const open = HANDLERS.filter((h) => h.kind !== 'ResolveField' && h.access?.kind === 'public').map((h) => h.method).sort();
  expect(open).toEqual(['authProviders', 'login', 'me', 'passwordLogin']);
});

describe('AccessGuard at run time', () => {
  @Resolver()
  class Fixture {
    // eslint-disable-next-line hindsight/guarded-resolvers -- deliberately unguarded: the guard must refuse it
    @Query(() => String)
    forgotten(): string {
      return 'should never run';
    }

    @Public()
    @Query(() => String)
    open(): string {
      return 'ok';
    }
  }

  const guard = new AccessGuard(new Reflector());
  const call = (method: 'forgotten' | 'open') => {
    const context: RequestContext = { actor: null, loaders: new LoaderRegistry(), clientIp: '127.0.0.1', requestId: 'r' };
    const host = new ExecutionContextHost([{}, {}, context, {}], Fixture, Fixture.prototype[method]);
    host.setType('graphql');
    return () => guard.canActivate(host);
  };

  it('refuses a handler without an access decorator with FORBIDDEN naming it', () => {
    expect(call('forgotten')).toThrow(AppError);
    expect(call('forgotten')).toThrow('Fixture.forgotten declares no access rule, so it is refused.');
    try {
      call('forgotten')();
    } catch (e) {
      expect((e as AppError).code).toBe('FORBIDDEN');
    }
  });

  it('lets a @Public handler through without a sign-in', () => {
    expect(call('open')()).toBe(true);
  });
});
