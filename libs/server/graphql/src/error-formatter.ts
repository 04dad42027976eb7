import { DocumentNode, GraphQLError, GraphQLFormattedError, Kind, parse, visit, type ValueNode } from 'graphql';
import { AppError, LIMIT_CODES, type Logger } from '@hindsight/server-common';
import { requestPayload, type RequestContext } from './request-context';

// graphql-js's wording for a variable that failed coercion (bad enum, wrong type, missing field).
const VARIABLE_ERROR = /^Variable "\$(\w+)" got invalid value .*?(?: at "([^"]+)")?; (.*)$/s;
const VARIABLE_REQUIRED = /^Variable "\$(\w+)" of (?:required|non-null) type "[^"]+" (?:was not provided|must not be null)\.$/;

/** Who made a request and what it was, on every log line about it. */
export interface RequestFacts {
  userId: string | null;
  operationName: string | null;
  clientIp: string | null;
  requestId: string | null;
}

/**
 * Shapes every error the API returns: our typed errors pass through; bad variables become
 * BAD_USER_INPUT naming the field; anything unexpected is logged and masked, so internals
 * (SQL, stack traces) never reach a client.
 */
export function formatGraphQLError(error: GraphQLError, log: Logger, variableArgs?: ReadonlyMap<string, string>, facts?: RequestFacts): GraphQLFormattedError {
  const code = error.extensions?.['code'];
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    // Documents are cached without locations (they would double the memory each takes).
    const { locations, ...json } = error.toJSON();
    return locations?.length ? { ...json, locations } : json;
  }

  const original = error.originalError;
  const transport = transportError(original);
  if (transport) {
    return { message: transport.message, extensions: { code: transport.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST' } };
  }
  if (!original || original instanceof GraphQLError) {
    // Parse and validation errors: the message is about the query, and safe to show.
    const variable = VARIABLE_ERROR.exec(error.message);
    if (variable) {
      const field = variableField(variable[1], variable[2], variable[3], variableArgs);
      return { message: `${field}: ${variable[3]}`, locations: error.locations, extensions: { code: 'BAD_USER_INPUT', field, reason: variable[3] } };
    }
    const required = VARIABLE_REQUIRED.exec(error.message);
    if (required) {
      const field = variableArgs?.get(required[1]) ?? required[1];
      return { message: `${field}: is required`, locations: error.locations, extensions: { code: 'BAD_USER_INPUT', field, reason: 'is required' } };
    }
    if (/^(Int|Float) cannot represent|^Expected value of type|^(ID|String|Boolean) cannot represent|^Enum "\w+" cannot represent/.test(error.message)) {
      return { message: error.message, locations: error.locations, path: error.path, extensions: { code: 'BAD_USER_INPUT', field: error.path?.join('.') ?? null, reason: error.message } };
    }
    if (!error.path) return { message: error.message, locations: error.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
  }
  if (isTransientDatabaseError(original)) {
    // The database is briefly out of reach or every pooled connection is busy: the client did
    // nothing wrong and a retry will succeed, so it gets a retryable code rather than a 500.
    log.warn({ ...facts, err: original, path: error.path }, 'database unavailable during a GraphQL operation');
    return { message: 'The database is busy or briefly unavailable; nothing was changed by the part that failed. Try again in a few seconds.', locations: error.locations, path: error.path, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
  }
  log.error({ ...facts, err: original ?? error, path: error.path }, 'unexpected error in a GraphQL operation');
  return { message: 'Something went wrong on the server; it has been logged. Try again, and tell your administrator if it persists.', locations: error.locations, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * The input field a variable error is about, named as the schema names it (`input.severity`),
 * not by the client's variable (`$i`). graphql-js says `at "i.severity"`; once Mercurius has
 * JIT-compiled the operation it names the leaf as the variable; a missing field is only in
 * the reason.
 */
function variableField(variable: string, at: string | undefined, reason: string, variableArgs: ReadonlyMap<string, string> | undefined): string {
  // graphql-jit reports a bad leaf as if the leaf were the variable ("$severity"): when the
  // operation has a single variable, the leaf sits in the argument it is passed as.
  if (variableArgs && !variableArgs.has(variable) && variableArgs.size === 1 && at === undefined) {
    return `${[...variableArgs.values()][0]}.${variable}`;
  }
  let rest = at === undefined || at === variable ? '' : at.startsWith(`${variable}.`) ? at.slice(variable.length + 1) : at;
  const missing = /^Field "(\w+)" of required type/.exec(reason);
  if (missing) rest = rest ? `${rest}.${missing[1]}` : missing[1]!;
  const base = variableArgs?.get(variable) ?? variable;
  return rest ? `${base}.${rest}` : base;
}

/**
 * For each variable of an operation, the argument (or input field) it is passed as, e.g.
 * `createIncident(input: $i)` gives `i → input`. Unparseable queries give an empty map.
 */
export function variableArguments(query: unknown): Map<string, string> {
  if (typeof query !== 'string') return new Map();
  try {
    return argumentPaths(parse(query, { noLocation: true }));
  } catch {
    // A query that does not parse has no variables worth naming.
    return new Map();
  }
}

/** `variableArguments` of a parsed document. */
export function argumentPaths(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  const collect = (value: ValueNode, path: string) => {
    if (value.kind === Kind.VARIABLE) {
      if (!names.has(value.name.value)) names.set(value.name.value, path);
    } else if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) collect(field.value, `${path}.${field.name.value}`);
    }
  };
  visit(document, { Argument: (node) => collect(node.value, node.name.value) });
  return names;
}

/** Client errors worth an operator's eye (probing, abuse, limits), logged at `warn`; the rest at `info`. */
const WARN_CODES: ReadonlySet<string> = new Set<string>(['FORBIDDEN', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE', ...LIMIT_CODES]);
const LOGGED_BY_FORMAT: ReadonlySet<string> = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

/** The operation's name: the request's operationName, else the first `query Name`/`mutation Name` of the document's opening. */
function operationNameOf(payload: { query?: unknown; operationName?: unknown }): string | null {
  if (typeof payload.operationName === 'string' && payload.operationName) return payload.operationName.slice(0, 100);
  if (typeof payload.query !== 'string') return null;
  return /^\s*(?:query|mutation|subscription)\s+(\w{1,100})/.exec(payload.query.slice(0, 300))?.[1] ?? null;
}

/**
 * Mercurius's errorFormatter: every error shaped by formatGraphQLError, one log line per
 * request with errors (who, which operation, from where, which codes: client errors at
 * `info`, limits and refusals at `warn`, failures at `error` with the cause), and the HTTP
 * status: 200 once anything ran, else the status of a request refused before it ran (400 for
 * a malformed request or a limit, 413, 429), else 200 as GraphQL over HTTP asks.
 */
export function createErrorFormatter(log: Logger) {
  return (execution: { data?: Record<string, unknown> | null; errors?: readonly GraphQLError[]; statusCode?: number }, ctx: unknown): { statusCode: number; response: { data: Record<string, unknown> | null; errors: GraphQLFormattedError[] } } => {
    const context = (ctx ?? {}) as Partial<RequestContext>;
    const payload = requestPayload(ctx);
    const errors = execution.errors ?? [];
    const flat = errors.flatMap((e) => {
      const nested = (e.originalError as { errors?: unknown } | undefined)?.errors;
      return Array.isArray(nested) ? (nested as GraphQLError[]) : [e];
    });
    // Variable errors name the client's variable ($i); name the schema's field instead.
    const variableArgs = flat.some((e) => e.message.startsWith('Variable "$')) ? variableArguments(payload.query) : undefined;
    const facts: RequestFacts = { userId: context.actor?.id ?? null, operationName: operationNameOf(payload), clientIp: context.clientIp ?? null, requestId: context.requestId ?? null };
    const formatted = flat.map((e) => formatGraphQLError(e, log, variableArgs, facts));

    const codes = [...new Set(formatted.map((e) => String(e.extensions?.['code'] ?? 'UNKNOWN')))].filter((c) => !LOGGED_BY_FORMAT.has(c));
    if (codes.length > 0) {
      const fields = formatted.map((e) => e.extensions?.['field']).filter((f): f is string => typeof f === 'string');
      const line = { ...facts, codes, ...(fields.length ? { fields } : {}) };
      if (codes.some((c) => WARN_CODES.has(c))) log.warn(line, 'GraphQL request refused');
      else log.info(line, 'GraphQL client error');
    }

    const first = errors[0];
    const refusal = first instanceof AppError && first.statusCode && !first.path ? first.statusCode : undefined;
    return {
      statusCode: execution.data ? 200 : refusal ?? transportError(first?.originalError)?.statusCode ?? execution.statusCode ?? 200,
      response: { data: execution.data ?? null, errors: formatted },
    };
  };
}

/**
 * The HTTP layer's own refusal of a request before GraphQL saw it (body too large, malformed
 * JSON, unsupported content type): the client's fault, with Fastify's safe message and status.
 */
export function transportError(error: unknown): { statusCode: number; message: string } | null {
  const e = error as { statusCode?: unknown; code?: unknown; message?: unknown } | null | undefined;
  if (!e || typeof e.statusCode !== 'number' || e.statusCode < 400 || e.statusCode > 499) return null;
  if (typeof e.code !== 'string' || !e.code.startsWith('FST_') || typeof e.message !== 'string') return null;
  return { statusCode: e.statusCode, message: e.message };
}

// SQLSTATEs meaning the server is going away or refusing connections (class 57P, 53300), not that the statement was wrong.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004']);

/**
 * A failure to reach Postgres rather than a failing statement: pg-pool's connection timeout
 * when every connection is busy, a refused or dropped connection, or the server shutting down.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null | undefined;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATES.has(e.code) || e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET')) return true;
  return typeof e.message === 'string' && /^(timeout exceeded when trying to connect|Connection terminated unexpectedly|Connection terminated due to connection timeout)/.test(e.message);
}
