import { isIP } from 'node:net';
import { normaliseEmail, type OutboundPolicy, parseDomainList, passwordProblem, parseOutboundAllowlist, parseRoleMap, PASSWORD_LOGIN_MODES, type PasswordLoginMode, type RoleMapping } from '@hindsight/domain';

/** OpenID Connect sign-in, when OIDC_ISSUER is set (docs/sso.md). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button's label: "Sign in with <name>". */
  name: string;
  /** E-mail domains that may sign in; empty: any. */
  allowedDomains: string[];
  roleClaim: string;
  /** Empty: roles are managed in Hindsight (new people are VIEWERs); else re-applied at every sign-in. */
  roleMap: RoleMapping[];
}

/**
 * Bounds on every GraphQL request, checked before the work they bound is done
 * (docs/security.md, "Limits"). Each comes from a GRAPHQL_* variable.
 */
export interface GraphqlLimits {
  /** Largest body of a request to /graphql, bytes (GRAPHQL_MAX_BODY_BYTES). */
  bodyBytes: number;
  /** Largest GraphQL document (the `query` text), bytes (GRAPHQL_MAX_DOCUMENT_BYTES). */
  documentBytes: number;
  /** Most lexical tokens in a document (GRAPHQL_MAX_TOKENS). */
  tokens: number;
  /** Most aliases in a document (GRAPHQL_MAX_ALIASES). */
  aliases: number;
  /** Most directives in a document (GRAPHQL_MAX_DIRECTIVES). */
  directives: number;
  /** Most fragment definitions in a document (GRAPHQL_MAX_FRAGMENTS). */
  fragments: number;
  /** Deepest nesting of fields, fragments expanded (GRAPHQL_MAX_DEPTH). */
  depth: number;
  /** Most cost points one request may spend (GRAPHQL_MAX_COST). */
  cost: number;
  /** Cost points a signed-in person may spend per minute; a signed-out client address gets a tenth; 0 turns it off (GRAPHQL_COST_PER_MINUTE). */
  costPerMinute: number;
}

/**
 * The web app's largest operation, a postmortem saved with all eight sections at their
 * 100 kB limit, is 800 kB of text: 1 MiB leaves it room for JSON escaping. Its largest
 * document is 2.8 kB and 242 tokens, its costliest 7,000 points (the reliability review);
 * the structural limits are graphql-armor's defaults, which no page of the app comes near.
 */
export const DEFAULT_GRAPHQL_LIMITS: GraphqlLimits = {
  bodyBytes: 1024 * 1024,
  documentBytes: 12_000,
  tokens: 1000,
  aliases: 15,
  directives: 50,
  fragments: 30,
  depth: 10,
  cost: 10_000,
  costPerMinute: 300_000,
};

/** How the connections in DATABASE_URL reach Postgres (docs/scaling.md). */
export type DatabasePoolMode = 'session' | 'transaction';

/** Where a Redis host listens: a sentinel or a cluster seed node. */
export interface RedisNode {
  host: string;
  port: number;
}

/** Redis as the queues reach it: one server (REDIS_URL), through Sentinel, or a Cluster. */
export interface RedisSettings {
  /** The server, or (Sentinel, Cluster) where the password, user, database and TLS come from. */
  url: string;
  /** REDIS_SENTINELS: the primary is asked of these; null without Sentinel. */
  sentinels: RedisNode[] | null;
  sentinelName: string | null;
  sentinelPassword: string | null;
  /** REDIS_CLUSTER=true: REDIS_URL is one seed node of a Redis Cluster. */
  cluster: boolean;
  /** A PEM file of the certificate authorities that sign the server's certificate (rediss://). */
  tlsCaFile: string | null;
}

/** OpenTelemetry traces over OTLP/HTTP, when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
export interface TracingConfig {
  /** The traces endpoint: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl: string;
  /** OTEL_SERVICE_NAME; unset, hindsight-api or hindsight-worker. */
  serviceName: string | null;
  /** OTEL_EXPORTER_OTLP_HEADERS: `key=value,key=value` sent with every export (an API key). */
  headers: Record<string, string>;
}

export interface HindsightConfig {
  nodeEnv: 'development' | 'test' | 'production';
  production: boolean;
  databaseUrl: string;
  /** Migrations connect here (DATABASE_MIGRATION_URL; defaults to DATABASE_URL). */
  databaseMigrationUrl: string;
  /** The caller cache LISTENs here; null: no listening connection (a transaction pooler without DATABASE_LISTEN_URL). */
  databaseListenUrl: string | null;
  /** DATABASE_POOL_MODE: `transaction` when DATABASE_URL goes through PgBouncer in transaction pooling. */
  databasePoolMode: DatabasePoolMode;
  /** Named prepared statements on DATABASE_URL (off through a transaction pooler unless DATABASE_PREPARED_STATEMENTS=on). */
  databasePreparedStatements: boolean;
  /** A streaming replica for reports, exports and the review; null: everything reads the primary. */
  databaseReadUrl: string | null;
  /** Past this replay lag the replica is not read. */
  databaseReadMaxLagSeconds: number;
  redisUrl: string;
  redis: RedisSettings;
  tracing: TracingConfig | null;
  port: number;
  host: string;
  adminEmail: string | null;
  adminPassword: string | null;
  /** null until resolved: in development a secret is generated and persisted on first start. */
  jwtSecret: string | null;
  publicUrl: string;
  chaseIntervalSeconds: number;
  smtpUrl: string | null;
  smtpFrom: string;
  /** What outbound requests (webhooks, Slack, trackers, SMTP) may reach: OUTBOUND_ALLOW_PRIVATE, OUTBOUND_ALLOWLIST. */
  outbound: OutboundPolicy;
  /** When set, /metrics (API and worker) answers only `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  workerHealthPort: number;
  /** The worker's health server listens here: loopback unless a container (or an operator) says otherwise. */
  workerHealthHost: string;
  /** Redis key prefix of the queues, so several installations (or test runs) can share a Redis. */
  queuePrefix: string;
  oidc: OidcConfig | null;
  passwordLogin: PasswordLoginMode;
  graphqlLimits: GraphqlLimits;
  /** Model-drafted postmortem sections (docs/ai-drafts.md); null: off (the default). */
  ai: AiConfig | null;
  slack: SlackConfig;
}

/** An OpenAI-compatible chat-completions server: AI_BASE_URL, AI_MODEL, AI_API_KEY (optional). */
export interface AiConfig {
  /** Up to `/v1`; `/chat/completions` is added (http://127.0.0.1:11434/v1 for Ollama). */
  baseUrl: string;
  model: string;
  apiKey: string | null;
  /** AI_TIMEOUT_SECONDS: the whole exchange with the model, in milliseconds. */
  timeoutMs: number;
  /** AI_DRAFTS_PER_HOUR: drafts one person may ask for in an hour. */
  draftsPerHour: number;
}

/** The Slack app (docs/slack.md): credentials from the environment win over those stored under Settings → Slack. */
export interface SlackConfig {
  /** SLACK_BOT_TOKEN (`xoxb-…`); null: the stored one, if any. */
  botToken: string | null;
  /** SLACK_SIGNING_SECRET; null: the stored one, if any. */
  signingSecret: string | null;
  /** SLACK_API_URL: Slack's Web API, `https://slack.com/api/` (tests point it at a loopback fake). */
  apiUrl: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Hindsight cannot start: its configuration is invalid.\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee the README section "Configuration".`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Validates the environment and returns the configuration, or throws one ConfigError that
 * lists every bad or missing value at once, so an operator fixes them in one pass.
 */
export function parseConfig(env: Env): HindsightConfig {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const nodeEnvRaw = str('NODE_ENV') ?? 'development';
  let nodeEnv: HindsightConfig['nodeEnv'] = 'development';
  if (nodeEnvRaw === 'development' || nodeEnvRaw === 'test' || nodeEnvRaw === 'production') nodeEnv = nodeEnvRaw;
  else problems.push(`NODE_ENV must be development, test or production (got "${nodeEnvRaw}")`);
  const production = nodeEnv === 'production';

  const url = (name: string, fallback: string, protocols: string[]): string => {
    const v = str(name) ?? fallback;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name} must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL (got "${u.protocol}//…")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL (got "${v}"); example: ${fallback}`);
    }
    return v;
  };

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const v = str(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${v}")`);
      return fallback;
    }
    return n;
  };

  const databaseUrl = url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/hindsight', ['postgres:', 'postgresql:']);
  const pg = ['postgres:', 'postgresql:'];
  const optionalUrl = (name: string, protocols: string[]): string | null => (str(name) === undefined ? null : url(name, 'postgres://postgres@127.0.0.1:5432/hindsight', protocols));
  const databaseMigrationUrl = optionalUrl('DATABASE_MIGRATION_URL', pg) ?? databaseUrl;
  const poolModeRaw = str('DATABASE_POOL_MODE') ?? 'session';
  const databasePoolMode: DatabasePoolMode = poolModeRaw === 'transaction' ? 'transaction' : 'session';
  if (poolModeRaw !== 'session' && poolModeRaw !== 'transaction') {
    problems.push(`DATABASE_POOL_MODE must be session or transaction (got "${poolModeRaw}"); transaction when DATABASE_URL goes through PgBouncer with pool_mode = transaction`);
  }
  const listenUrl = optionalUrl('DATABASE_LISTEN_URL', pg);
  // Through a transaction pooler a LISTEN lands on whichever server connection the statement
  // got, and its notifications go to whoever has that connection next: only a direct one listens.
  const databaseListenUrl = listenUrl ?? (databasePoolMode === 'transaction' ? null : databaseUrl);
  const preparedRaw = str('DATABASE_PREPARED_STATEMENTS');
  if (preparedRaw !== undefined && preparedRaw !== 'on' && preparedRaw !== 'off') {
    problems.push(`DATABASE_PREPARED_STATEMENTS must be on or off (got "${preparedRaw}"); on through PgBouncer only from 1.21 with max_prepared_statements set`);
  }
  const databasePreparedStatements = preparedRaw === undefined ? databasePoolMode === 'session' : preparedRaw === 'on';
  const databaseReadUrl = optionalUrl('DATABASE_READ_URL', pg);
  const databaseReadMaxLagSeconds = int('DATABASE_READ_MAX_LAG_SECONDS', 30, 1, 3600);

  const redisUrl = url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']);
  const redis = parseRedis(str, redisUrl, problems);
  const tracing = parseTracing(str, problems);
  const port = int('PORT', 3000, 1, 65535);
  const workerHealthPort = int('WORKER_HEALTH_PORT', 3001, 0, 65535);
  const chaseIntervalSeconds = int('CHASE_INTERVAL_SECONDS', 300, 5, 86400);
  const publicUrl = url('PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:']).replace(/\/+$/, '');

  const adminEmail = str('HINDSIGHT_ADMIN_EMAIL') ?? null;
  const adminPassword = str('HINDSIGHT_ADMIN_PASSWORD') ?? null;
  if (adminEmail !== null && !EMAIL.test(normaliseEmail(adminEmail) ?? adminEmail)) problems.push(`HINDSIGHT_ADMIN_EMAIL is not an email address (got "${adminEmail}")`);
  if ((adminEmail === null) !== (adminPassword === null)) {
    problems.push('HINDSIGHT_ADMIN_EMAIL and HINDSIGHT_ADMIN_PASSWORD go together: set both or neither');
  }
  // The first ADMIN's password is a new password like any other (the rule of passwordProblem).
  const adminPasswordProblem = adminPassword === null ? null : passwordProblem(adminPassword);
  if (adminPasswordProblem) problems.push(`HINDSIGHT_ADMIN_PASSWORD ${adminPasswordProblem}`);

  const jwtSecret = str('JWT_SECRET') ?? null;
  if (jwtSecret === null && production) problems.push('JWT_SECRET is required in production: set it to a random string of at least 32 characters');
  if (jwtSecret !== null && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');

  const smtpUrlRaw = str('SMTP_URL');
  const smtpUrl = smtpUrlRaw === undefined ? null : url('SMTP_URL', 'smtp://127.0.0.1:25', ['smtp:', 'smtps:']);
  const smtpFrom = str('SMTP_FROM') ?? 'Hindsight <hindsight@localhost>';

  const allowPrivateRaw = str('OUTBOUND_ALLOW_PRIVATE') ?? 'false';
  if (allowPrivateRaw !== 'true' && allowPrivateRaw !== 'false') problems.push(`OUTBOUND_ALLOW_PRIVATE must be true or false (got "${allowPrivateRaw}")`);
  const allowlist = parseOutboundAllowlist(str('OUTBOUND_ALLOWLIST') ?? '');
  problems.push(...allowlist.problems.map((p) => `OUTBOUND_ALLOWLIST: ${p}`));
  const outbound: OutboundPolicy = { allowPrivate: allowPrivateRaw === 'true', hosts: allowlist.hosts, cidrs: allowlist.cidrs };
  const metricsToken = str('METRICS_TOKEN') ?? null;
  if (metricsToken !== null && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 32`)');

  const logLevelRaw = str('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info');
  const logLevel = (LOG_LEVELS as readonly string[]).includes(logLevelRaw) ? (logLevelRaw as HindsightConfig['logLevel']) : 'info';
  if (logLevel !== logLevelRaw) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);

  const logFormat = str('LOG_FORMAT');
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'pretty') problems.push(`LOG_FORMAT must be json or pretty (got "${logFormat}"); unset, it is pretty on a terminal and JSON otherwise`);

  const host = str('HOST') ?? '0.0.0.0';
  // Loopback by default: outside a container nothing else on the network needs the worker's
  // health and queue metrics. The worker image and docker/compose.yml set 0.0.0.0.
  const workerHealthHost = str('WORKER_HEALTH_HOST') ?? '127.0.0.1';
  if (!isListenAddress(workerHealthHost)) {
    problems.push(`WORKER_HEALTH_HOST must be an IP address or a host name to listen on, e.g. 127.0.0.1, 0.0.0.0 or :: (got "${workerHealthHost}")`);
  }
  // A Redis Cluster keeps a queue's keys on one node only when they share a hash tag.
  const queuePrefix = str('QUEUE_PREFIX') ?? (redis.cluster ? '{hindsight}' : 'hindsight');
  if (!/^[A-Za-z0-9_.:{}-]{1,64}$/.test(queuePrefix)) problems.push(`QUEUE_PREFIX may hold only letters, digits and _ . : - { } (got "${queuePrefix}")`);
  else if (redis.cluster && !/\{[^{}]+\}/.test(queuePrefix)) {
    problems.push(`QUEUE_PREFIX must hold a hash tag in braces with REDIS_CLUSTER=true, e.g. {hindsight} (got "${queuePrefix}"): a queue's keys must live on one cluster node`);
  }

  const oidc = parseOidc(str, problems);
  const passwordLoginRaw = str('PASSWORD_LOGIN') ?? 'on';
  const passwordLogin = (PASSWORD_LOGIN_MODES as readonly string[]).includes(passwordLoginRaw) ? (passwordLoginRaw as PasswordLoginMode) : 'on';
  if (passwordLogin !== passwordLoginRaw) problems.push(`PASSWORD_LOGIN must be one of ${PASSWORD_LOGIN_MODES.join(', ')} (got "${passwordLoginRaw}")`);
  if (passwordLogin === 'off' && oidc === null && !problems.some((p) => p.startsWith('OIDC_'))) {
    problems.push('PASSWORD_LOGIN=off needs single sign-on (OIDC_ISSUER and the other OIDC_ settings), or nobody could sign in');
  }

  const d = DEFAULT_GRAPHQL_LIMITS;
  const graphqlLimits: GraphqlLimits = {
    bodyBytes: int('GRAPHQL_MAX_BODY_BYTES', d.bodyBytes, 16 * 1024, 64 * 1024 * 1024),
    documentBytes: int('GRAPHQL_MAX_DOCUMENT_BYTES', d.documentBytes, 1000, 1024 * 1024),
    tokens: int('GRAPHQL_MAX_TOKENS', d.tokens, 100, 100_000),
    aliases: int('GRAPHQL_MAX_ALIASES', d.aliases, 0, 10_000),
    directives: int('GRAPHQL_MAX_DIRECTIVES', d.directives, 0, 10_000),
    fragments: int('GRAPHQL_MAX_FRAGMENTS', d.fragments, 0, 10_000),
    depth: int('GRAPHQL_MAX_DEPTH', d.depth, 2, 100),
    cost: int('GRAPHQL_MAX_COST', d.cost, 100, 1_000_000_000),
    costPerMinute: int('GRAPHQL_COST_PER_MINUTE', d.costPerMinute, 0, 1_000_000_000_000),
  };
  // A signed-out address gets a tenth of the budget, and must still afford one request.
  if (graphqlLimits.costPerMinute > 0 && graphqlLimits.costPerMinute < graphqlLimits.cost * 10) {
    problems.push(`GRAPHQL_COST_PER_MINUTE must be 0 (no budget) or at least 10 × GRAPHQL_MAX_COST = ${graphqlLimits.cost * 10} (got "${graphqlLimits.costPerMinute}")`);
  }

  const ai = parseAi(str, int, url, problems);
  const slackBotToken = str('SLACK_BOT_TOKEN') ?? null;
  const slackSigningSecret = str('SLACK_SIGNING_SECRET') ?? null;
  if (slackBotToken !== null && !/^xox[bp]-/.test(slackBotToken)) problems.push('SLACK_BOT_TOKEN must be a Slack bot token (xoxb-…) from the app\'s "OAuth & Permissions" page');
  if (slackSigningSecret !== null && slackSigningSecret.length < 16) problems.push('SLACK_SIGNING_SECRET must be the app\'s signing secret ("Basic Information" page), at least 16 characters');
  const slackApiUrl = url('SLACK_API_URL', 'https://slack.com/api/', ['http:', 'https:']).replace(/\/*$/, '/');
  const slack: SlackConfig = { botToken: slackBotToken, signingSecret: slackSigningSecret, apiUrl: slackApiUrl };

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv, production, databaseUrl, databaseMigrationUrl, databaseListenUrl, databasePoolMode, databasePreparedStatements, databaseReadUrl, databaseReadMaxLagSeconds,
    redisUrl, redis, tracing, port, host, adminEmail, adminPassword, jwtSecret,
    publicUrl, chaseIntervalSeconds, smtpUrl, smtpFrom, outbound, metricsToken, logLevel, workerHealthPort, workerHealthHost, queuePrefix, oidc, passwordLogin, graphqlLimits, ai, slack,
  };
}

/** AI_BASE_URL and AI_MODEL go together; without them drafting is off. */
function parseAi(
  str: (name: string) => string | undefined,
  int: (name: string, fallback: number, min: number, max: number) => number,
  url: (name: string, fallback: string, protocols: string[]) => string,
  problems: string[],
): AiConfig | null {
  const base = str('AI_BASE_URL');
  const model = str('AI_MODEL');
  const timeoutSeconds = int('AI_TIMEOUT_SECONDS', 60, 1, 600);
  const draftsPerHour = int('AI_DRAFTS_PER_HOUR', 30, 1, 10_000);
  if (base === undefined && model === undefined) {
    if (str('AI_API_KEY') !== undefined) problems.push('AI_API_KEY is set without AI_BASE_URL and AI_MODEL: set both to turn model-drafted postmortem sections on');
    return null;
  }
  if (base === undefined || model === undefined) {
    problems.push('AI_BASE_URL and AI_MODEL go together: the chat-completions server (e.g. http://127.0.0.1:11434/v1) and the model it serves (e.g. llama3.1:8b)');
    return null;
  }
  const baseUrl = url('AI_BASE_URL', 'http://127.0.0.1:11434/v1', ['http:', 'https:']).replace(/\/+$/, '');
  return { baseUrl, model, apiKey: str('AI_API_KEY') ?? null, timeoutMs: timeoutSeconds * 1000, draftsPerHour };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** What `server.listen(port, host)` takes: an IPv4 or IPv6 address (no brackets), or a host name. */
function isListenAddress(host: string): boolean {
  return isIP(host) !== 0 || HOST_NAME.test(host);
}

/** `host:port,host:port` (IPv6 in brackets); problems name the variable. */
function parseNodes(name: string, raw: string, defaultPort: number, problems: string[]): RedisNode[] {
  const nodes: RedisNode[] = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?$/.exec(part);
    const port = m?.[2] === undefined ? defaultPort : Number(m[2]);
    if (!m || port < 1 || port > 65535) {
      problems.push(`${name}: "${part}" is not host:port (example: sentinel-1:26379,sentinel-2:26379,sentinel-3:26379)`);
      continue;
    }
    nodes.push({ host: m[1].replace(/^\[|\]$/g, ''), port });
  }
  if (nodes.length === 0 && !problems.some((p) => p.startsWith(name))) problems.push(`${name} names no host (example: sentinel-1:26379,sentinel-2:26379,sentinel-3:26379)`);
  return nodes;
}

/** REDIS_SENTINELS + REDIS_SENTINEL_NAME, REDIS_CLUSTER, REDIS_TLS_CA_FILE (docs/scaling.md). */
function parseRedis(str: (name: string) => string | undefined, url: string, problems: string[]): RedisSettings {
  const sentinelsRaw = str('REDIS_SENTINELS');
  const sentinelName = str('REDIS_SENTINEL_NAME') ?? null;
  const clusterRaw = str('REDIS_CLUSTER') ?? 'false';
  if (clusterRaw !== 'true' && clusterRaw !== 'false') problems.push(`REDIS_CLUSTER must be true or false (got "${clusterRaw}")`);
  const cluster = clusterRaw === 'true';
  const sentinels = sentinelsRaw === undefined ? null : parseNodes('REDIS_SENTINELS', sentinelsRaw, 26379, problems);
  if (sentinels !== null && sentinelName === null) problems.push('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS: the name the sentinels monitor the primary under (sentinel monitor <name> …)');
  if (sentinels === null && sentinelName !== null) problems.push('REDIS_SENTINEL_NAME is set but REDIS_SENTINELS is not: list the sentinels (host:port, comma-separated)');
  if (sentinels !== null && cluster) problems.push('REDIS_SENTINELS and REDIS_CLUSTER=true exclude each other: a Redis Cluster fails over by itself');
  const tlsCaFile = str('REDIS_TLS_CA_FILE') ?? null;
  if (tlsCaFile !== null && !url.startsWith('rediss://')) problems.push('REDIS_TLS_CA_FILE is set but REDIS_URL is not rediss://: TLS is used only with a rediss:// URL');
  return { url, sentinels, sentinelName, sentinelPassword: str('REDIS_SENTINEL_PASSWORD') ?? null, cluster, tlsCaFile };
}

/** OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT), OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS. */
function parseTracing(str: (name: string) => string | undefined, problems: string[]): TracingConfig | null {
  const traces = str('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = str('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (traces === undefined && base === undefined) return null;
  const name = traces !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  // The OTLP specification: the base endpoint gets the signal's path, a signal endpoint is used as given.
  const tracesUrl = traces ?? `${(base as string).replace(/\/+$/, '')}/v1/traces`;
  try {
    const u = new URL(tracesUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push(`${name} must be an http:// or https:// URL (OTLP over HTTP; got "${u.protocol}//…")`);
  } catch {
    problems.push(`${name} is not a valid URL (got "${traces ?? base}"); example: http://otel-collector:4318`);
  }
  const headers: Record<string, string> = {};
  for (const pair of (str('OTEL_EXPORTER_OTLP_HEADERS') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      problems.push(`OTEL_EXPORTER_OTLP_HEADERS: "${pair.split('=')[0]}" is not key=value (example: api-key=abc123,x-tenant=ops)`);
      continue;
    }
    headers[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return { tracesUrl, serviceName: str('OTEL_SERVICE_NAME') ?? null, headers };
}

/** The OIDC_ settings: all of them absent (no single sign-on), or a complete, valid set. */
function parseOidc(str: (name: string) => string | undefined, problems: string[]): OidcConfig | null {
  const issuer = str('OIDC_ISSUER');
  const others = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_NAME', 'OIDC_ALLOWED_DOMAINS', 'OIDC_ROLE_CLAIM', 'OIDC_ROLE_MAP'].filter((n) => str(n) !== undefined);
  if (issuer === undefined) {
    if (others.length > 0) problems.push(`${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} set but OIDC_ISSUER is not: set OIDC_ISSUER to your provider's issuer URL, or remove the OIDC_ settings`);
    return null;
  }
  const before = problems.length;
  try {
    const u = new URL(issuer);
    // Tokens and secrets travel to the issuer: plain http only to a provider on this machine.
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname))) problems.push(`OIDC_ISSUER must be an https:// URL (got "${issuer}"); http:// is accepted only for localhost`);
  } catch {
    problems.push(`OIDC_ISSUER is not a valid URL (got "${issuer}"); example: https://login.example.com/realms/acme`);
  }
  const clientId = str('OIDC_CLIENT_ID');
  const clientSecret = str('OIDC_CLIENT_SECRET');
  if (clientId === undefined) problems.push('OIDC_CLIENT_ID is required with OIDC_ISSUER: the client ID of the application registered at your provider');
  if (clientSecret === undefined) problems.push('OIDC_CLIENT_SECRET is required with OIDC_ISSUER: the client secret of the application registered at your provider');
  const domains = parseDomainList(str('OIDC_ALLOWED_DOMAINS') ?? '');
  problems.push(...domains.problems.map((p) => `OIDC_ALLOWED_DOMAINS: ${p}`));
  const roleMap = parseRoleMap(str('OIDC_ROLE_MAP') ?? '');
  problems.push(...roleMap.problems.map((p) => `OIDC_ROLE_MAP: ${p} (example: sre-admins=ADMIN,eng-managers=MANAGER,oncall=COMMANDER)`));
  if (problems.length > before) return null;
  return {
    // Kept as given: it must equal the provider's own `issuer` exactly (Auth0's ends in a slash).
    issuer,
    clientId: clientId as string,
    clientSecret: clientSecret as string,
    name: str('OIDC_NAME') ?? 'single sign-on',
    allowedDomains: domains.domains,
    roleClaim: str('OIDC_ROLE_CLAIM') ?? 'groups',
    roleMap: roleMap.mappings,
  };
}
