import type { FastifyReply, FastifyRequest } from 'fastify';
import { DocumentNode, GraphQLError, GraphQLSchema, parse, specifiedRules, validate, ValidationRule } from 'graphql';
import type { GraphqlLimits } from '@hindsight/server-config';
import { AppError, limitExceeded } from '@hindsight/server-common';
import { CallerBudget } from './cost.budget';
import { checkDocument, checkSource, NUL_REASON } from './document.limits';
import { argumentPaths } from './error-formatter';
import { operationCost } from './operation.cost';
import { requestPayload, type RequestContext } from './request-context';

/** What Mercurius hands its hooks: our request context, plus the reply it added. */
export type HookContext = Partial<RequestContext> & { reply?: FastifyReply };

/** A document that does not parse or fails graphql-js's rules: what Mercurius would have said, without caching it. */
export class DocumentInvalid extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super('The GraphQL document is invalid');
    this.name = 'DocumentInvalid';
  }
}

export interface RequestGuardOptions {
  limits: GraphqlLimits;
  /** Assumed size of a list the query does not bound with `first`. */
  defaultListSize: number;
  /** Validation rules beyond graphql-js's own (in production: no introspection). */
  rules: readonly ValidationRule[];
  /** Distinct accepted documents remembered, whose checks are then skipped. */
  remember: number;
  /** The per-caller budget, shared with the REST routes (`@RestCost`); one of its own when not given. */
  budget?: CallerBudget;
  now?: () => number;
}

const badRequest = (field: string, reason: string): AppError => new AppError(`${field}: ${reason}`, 'BAD_USER_INPUT', { field, reason }, 400);

/**
 * Bounds every GraphQL request before the work it bounds (docs/security.md, "Limits"):
 *
 * - `checkShape` (route hook, before Fastify's schema coerces the body): `query` is a string,
 *   `variables` an object. `{"query": 1}` would otherwise be coerced to the document "1".
 * - `preParsing` (Mercurius, before its document caches): a document not seen before is
 *   measured (bytes, tokens) before it is parsed, then parsed once, its shape checked (aliases,
 *   directives, fragments, depth, repeated fields, sign-ins), validated and priced. Only a
 *   document that passes all of that reaches Mercurius, which caches it: Mercurius keeps the
 *   syntax tree of every document it has seen, refused ones in a second cache, so a refused
 *   document must never reach it. Accepted documents are remembered (a bounded LRU of their
 *   text), so a known document costs one map lookup. First sight costs its tokens from the
 *   caller's budget: parsing and validating is work.
 * - `preExecution` (each request, with its variables): no NUL character in any variable (text
 *   columns cannot hold it), the exact cost within the limit, and from the caller's budget.
 */
export class RequestGuard {
  private readonly accepted = new Map<string, true>();
  private readonly staticCosts = new WeakMap<DocumentNode, Map<string, number>>();
  private readonly budget: CallerBudget;
  private readonly rules: readonly ValidationRule[];

  constructor(private readonly options: RequestGuardOptions) {
    this.budget = options.budget ?? new CallerBudget(options.limits, options.now);
    this.rules = [...specifiedRules, ...options.rules];
  }

  checkShape = async (request: FastifyRequest): Promise<void> => {
    const payload: unknown = request.method === 'GET' ? request.query : request.body;
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw badRequest('body', 'must be a JSON object: {"query": "<GraphQL document>", "variables": {…}}');
    }
    const { query, variables, operationName } = payload as Record<string, unknown>;
    if (query === undefined || query === null || query === '') throw badRequest('query', 'is required: send the GraphQL document as "query"');
    if (typeof query !== 'string') throw badRequest('query', `must be a string holding the GraphQL document, not ${Array.isArray(query) ? 'an array' : typeof query}`);
    // GET carries variables as a JSON string, which Mercurius parses.
    if (request.method !== 'GET' && variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
      throw badRequest('variables', 'must be a JSON object of variable values');
    }
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') throw badRequest('operationName', 'must be a string');
  };

  preParsing = async (schema: GraphQLSchema, source: string, context: HookContext): Promise<void> => {
    if (this.accepted.delete(source)) {
      this.accepted.set(source, true);
      return;
    }
    const { limits } = this.options;
    const tokens = checkSource(source, limits);
    this.charge(context, tokens);
    let document: DocumentNode;
    try {
      document = parse(source);
    } catch (error) {
      throw new DocumentInvalid([error as GraphQLError]);
    }
    checkDocument(document, limits);
    const errors = validate(schema, document, this.rules);
    if (errors.length > 0) throw new DocumentInvalid(errors);
    const payload = requestPayload(context);
    this.checkCost(operationCost(schema, document, {
      defaultListSize: this.options.defaultListSize,
      operationName: typeof payload.operationName === 'string' ? payload.operationName : null,
      variables: payload.variables !== null && typeof payload.variables === 'object' ? (payload.variables as Record<string, unknown>) : null,
    }).cost);
    if (this.accepted.size >= this.options.remember) this.accepted.delete(this.accepted.keys().next().value as string);
    this.accepted.set(source, true);
  };

  preExecution = async (schema: GraphQLSchema, document: DocumentNode, context: HookContext, variables: Record<string, unknown> | undefined): Promise<void> => {
    const nul = variables ? nulAt(variables) : null;
    if (nul !== null) {
      const [variable = '', ...rest] = nul;
      const field = [argumentPaths(document).get(variable) ?? variable, ...rest].join('.');
      throw badRequest(field, NUL_REASON);
    }
    const payload = requestPayload(context);
    const operationName = typeof payload.operationName === 'string' ? payload.operationName : '';
    let costs = this.staticCosts.get(document);
    let cost = costs?.get(operationName);
    if (cost === undefined) {
      const priced = operationCost(schema, document, { defaultListSize: this.options.defaultListSize, operationName, variables });
      cost = priced.cost;
      if (!priced.dependsOnVariables) {
        if (!costs) this.staticCosts.set(document, (costs = new Map()));
        costs.set(operationName, cost);
      }
    }
    this.checkCost(cost);
    this.charge(context, cost);
  };

  private checkCost(cost: number): void {
    const { limits } = this.options;
    if (cost > limits.cost) {
      throw limitExceeded('QUERY_TOO_COMPLEX', `Query is too complex: cost ${cost} exceeds the limit of ${limits.cost}. Ask for fewer fields or smaller pages, or split the query.`, limits.cost, cost);
    }
  }

  private charge(context: HookContext, points: number): void {
    this.budget.charge({ actorId: context.actor?.id, clientIp: context.clientIp ?? '' }, points, (wait) => context.reply?.header('retry-after', String(wait)));
  }
}

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | null;
}

/**
 * The path of the first string (or object key) holding a NUL character, e.g. ["input", "summary"].
 * Iterative, each step remembering only its parent, so any nesting a 1 MiB body allows is safe.
 */
export function nulAt(value: unknown): string[] | null {
  const pathOf = (at: Visit, key?: string): string[] => {
    const path = key === undefined ? [] : [key];
    for (let v: Visit | null = at; v?.parent; v = v.parent) path.push(v.key);
    return path.reverse();
  };
  const stack: Visit[] = [{ value, key: '', parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return pathOf(visit);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i], key: String(i), parent: visit });
    } else if (v !== null && typeof v === 'object') {
      for (const [key, inner] of Object.entries(v)) {
        if (key.includes('\u0000')) return pathOf(visit, key);
        stack.push({ value: inner, key, parent: visit });
      }
    }
  }
  return null;
}
