import { GraphQLError, GraphQLFormattedError, Kind, parse, visit, type ValueNode } from 'graphql';
import type { Logger } from '@hindsight/server-common';

// graphql-js's wording for a variable that failed coercion (bad enum, wrong type, missing field).
const VARIABLE_ERROR = /^Variable "\$(\w+)" got invalid value .*?(?: at "([^"]+)")?; (.*)$/s;
const VARIABLE_REQUIRED = /^Variable "\$(\w+)" of (?:required|non-null) type "[^"]+" (?:was not provided|must not be null)\.$/;

/**
 * Shapes every error the API returns: our typed errors pass through; bad variables become
 * BAD_USER_INPUT naming the field; anything unexpected is logged and masked, so internals
 * (SQL, stack traces) never reach a client.
 */
export function formatGraphQLError(error: GraphQLError, log: Logger, variableArgs?: ReadonlyMap<string, string>): GraphQLFormattedError {
  const code = error.extensions?.['code'];
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return error.toJSON();

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
    log.warn({ err: original, path: error.path }, 'database unavailable during a GraphQL operation');
    return { message: 'The database is busy or briefly unavailable; nothing was changed by the part that failed. Try again in a few seconds.', locations: error.locations, path: error.path, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
  }
  log.error({ err: original ?? error, path: error.path }, 'unexpected error in a GraphQL operation');
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
  const names = new Map<string, string>();
  if (typeof query !== 'string') return names;
  const collect = (value: ValueNode, path: string) => {
    if (value.kind === Kind.VARIABLE) {
      if (!names.has(value.name.value)) names.set(value.name.value, path);
    } else if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) collect(field.value, `${path}.${field.name.value}`);
    }
  };
  try {
    visit(parse(query), { Argument: (node) => collect(node.value, node.name.value) });
  } catch {
    // A query that does not parse has no variables worth naming.
  }
  return names;
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
