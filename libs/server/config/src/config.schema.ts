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

export interface HindsightConfig {
  nodeEnv: 'development' | 'test' | 'production';
  production: boolean;
  databaseUrl: string;
  redisUrl: string;
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
  const redisUrl = url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']);
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
  const queuePrefix = str('QUEUE_PREFIX') ?? 'hindsight';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(queuePrefix)) problems.push(`QUEUE_PREFIX may hold only letters, digits and _ . : - (got "${queuePrefix}")`);

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

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv, production, databaseUrl, redisUrl, port, host, adminEmail, adminPassword, jwtSecret,
    publicUrl, chaseIntervalSeconds, smtpUrl, smtpFrom, outbound, metricsToken, logLevel, workerHealthPort, workerHealthHost, queuePrefix, oidc, passwordLogin, graphqlLimits,
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** What `server.listen(port, host)` takes: an IPv4 or IPv6 address (no brackets), or a host name. */
function isListenAddress(host: string): boolean {
  return isIP(host) !== 0 || HOST_NAME.test(host);
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
