import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_GRAPHQL_LIMITS, parseConfig } from './config.schema';
import { loadConfig } from './config.loader';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/hindsight',
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      chaseIntervalSeconds: 300,
      publicUrl: 'http://localhost:3000',
      workerHealthHost: '127.0.0.1',
      smtpUrl: null,
      jwtSecret: null,
      adminEmail: null,
      production: false,
    });
  });

  it('reads every variable', () => {
    const c = parseConfig({
      DATABASE_URL: 'postgresql://u:p@db:5432/h', REDIS_URL: 'rediss://r:6380', PORT: '8080',
      HINDSIGHT_ADMIN_EMAIL: 'ops@example.com', HINDSIGHT_ADMIN_PASSWORD: 'correct horse battery',
      JWT_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://hindsight.example.com/', CHASE_INTERVAL_SECONDS: '60',
      SMTP_URL: 'smtp://mail:2525', NODE_ENV: 'production', WORKER_HEALTH_HOST: '0.0.0.0',
    });
    expect(c).toMatchObject({
      databaseUrl: 'postgresql://u:p@db:5432/h', redisUrl: 'rediss://r:6380', port: 8080,
      adminEmail: 'ops@example.com', adminPassword: 'correct horse battery', publicUrl: 'https://hindsight.example.com',
      chaseIntervalSeconds: 60, smtpUrl: 'smtp://mail:2525', production: true, workerHealthHost: '0.0.0.0',
    });
    expect(parseConfig({ WORKER_HEALTH_HOST: '::' }).workerHealthHost).toBe('::');
    expect(parseConfig({}).slack).toEqual({ botToken: null, signingSecret: null, apiUrl: 'https://slack.com/api/' });
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'f'.repeat(32), SLACK_API_URL: 'http://127.0.0.1:9/api' }).slack)
      .toEqual({ botToken: 'xoxb-1-2-abc', signingSecret: 'f'.repeat(32), apiUrl: 'http://127.0.0.1:9/api/' });
    expect(parseConfig({ WORKER_HEALTH_HOST: 'worker-0.internal' }).workerHealthHost).toBe('worker-0.internal');
  });

  it('turns model drafts on with AI_BASE_URL and AI_MODEL', () => {
    expect(parseConfig({}).ai).toBeNull();
    expect(parseConfig({ AI_BASE_URL: 'http://127.0.0.1:11434/v1/', AI_MODEL: 'llama3.1:8b' }).ai).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b', apiKey: null, timeoutMs: 60_000, draftsPerHour: 30,
    });
    expect(parseConfig({ AI_BASE_URL: 'https://llm.example/v1', AI_MODEL: 'm', AI_API_KEY: 'sk-1', AI_TIMEOUT_SECONDS: '5', AI_DRAFTS_PER_HOUR: '3' }).ai).toEqual({
      baseUrl: 'https://llm.example/v1', model: 'm', apiKey: 'sk-1', timeoutMs: 5000, draftsPerHour: 3,
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 1 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 1 to 65535 (got "70000")'],
    [{ CHASE_INTERVAL_SECONDS: '1.5' }, 'CHASE_INTERVAL_SECONDS must be a whole number from 5 to 86400 (got "1.5")'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://…")'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL is not a valid URL (got "not a url"); example: redis://127.0.0.1:6379'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL must be a smtp:// or smtps:// URL (got "http://…")'],
    [{ SLACK_BOT_TOKEN: 'T0-secret' }, 'SLACK_BOT_TOKEN must be a Slack bot token (xoxb-…) from the app\'s "OAuth & Permissions" page'],
    [{ SLACK_SIGNING_SECRET: 'short' }, 'SLACK_SIGNING_SECRET must be the app\'s signing secret ("Basic Information" page), at least 16 characters'],
    [{ SLACK_API_URL: 'ftp://slack' }, 'SLACK_API_URL must be a http:// or https:// URL (got "ftp://…")'],
    [{ HINDSIGHT_ADMIN_EMAIL: 'ops@example.com' }, 'HINDSIGHT_ADMIN_EMAIL and HINDSIGHT_ADMIN_PASSWORD go together: set both or neither'],
    [{ HINDSIGHT_ADMIN_EMAIL: 'nope', HINDSIGHT_ADMIN_PASSWORD: 'long enough, really' }, 'HINDSIGHT_ADMIN_EMAIL is not an email address (got "nope")'],
    [{ HINDSIGHT_ADMIN_EMAIL: 'a@b.co', HINDSIGHT_ADMIN_PASSWORD: 'short' }, 'HINDSIGHT_ADMIN_PASSWORD must be at least 12 characters (got 5); a few unrelated words make a long password that is easy to remember'],
    [{ HINDSIGHT_ADMIN_EMAIL: 'a@b.co', HINDSIGHT_ADMIN_PASSWORD: 'password1234' }, 'HINDSIGHT_ADMIN_PASSWORD is one of the most common passwords, which attackers try first; choose another (a few unrelated words make a good one)'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET is required in production: set it to a random string of at least 32 characters'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be development, test or production (got "staging")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ WORKER_HEALTH_HOST: 'http://0.0.0.0' }, 'WORKER_HEALTH_HOST must be an IP address or a host name to listen on, e.g. 127.0.0.1, 0.0.0.0 or :: (got "http://0.0.0.0")'],
    [{ WORKER_HEALTH_HOST: '[::]' }, 'WORKER_HEALTH_HOST must be an IP address or a host name to listen on, e.g. 127.0.0.1, 0.0.0.0 or :: (got "[::]")'],
    [{ OUTBOUND_ALLOW_PRIVATE: 'yes' }, 'OUTBOUND_ALLOW_PRIVATE must be true or false (got "yes")'],
    [{ OUTBOUND_ALLOWLIST: 'chat.corp.example, 10.0.0.0/33' }, 'OUTBOUND_ALLOWLIST: "10.0.0.0/33" is neither a host name nor an address or CIDR range (e.g. chat.corp.example, 10.20.0.0/16)'],
    [{ AI_BASE_URL: 'http://127.0.0.1:11434/v1' }, 'AI_BASE_URL and AI_MODEL go together: the chat-completions server (e.g. http://127.0.0.1:11434/v1) and the model it serves (e.g. llama3.1:8b)'],
    [{ AI_API_KEY: 'sk-1' }, 'AI_API_KEY is set without AI_BASE_URL and AI_MODEL: set both to turn model-drafted postmortem sections on'],
    [{ AI_BASE_URL: 'ftp://models', AI_MODEL: 'm' }, 'AI_BASE_URL must be a http:// or https:// URL (got "ftp://…")'],
    [{ AI_BASE_URL: 'http://m/v1', AI_MODEL: 'm', AI_TIMEOUT_SECONDS: '0' }, 'AI_TIMEOUT_SECONDS must be a whole number from 1 to 600 (got "0")'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 32`)'],
  ])('refuses %j', (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  it('outbound requests stay on the public internet unless allowed; /metrics is open unless METRICS_TOKEN is set', () => {
    expect(parseConfig({})).toMatchObject({ outbound: { allowPrivate: false, hosts: [], cidrs: [] }, metricsToken: null });
    const c = parseConfig({ OUTBOUND_ALLOW_PRIVATE: 'true', OUTBOUND_ALLOWLIST: 'Chat.Corp.Example, 10.20.0.0/16', METRICS_TOKEN: 'm'.repeat(32) });
    expect(c.outbound.allowPrivate).toBe(true);
    expect(c.outbound.hosts).toEqual(['chat.corp.example']);
    expect(c.outbound.cidrs).toEqual([{ base: { family: 4, bytes: [10, 20, 0, 0] }, prefix: 16 }]);
    expect(c.metricsToken).toBe('m'.repeat(32));
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ PORT: 'x', REDIS_URL: 'ftp://r', JWT_SECRET: 'y' })).toHaveLength(3);
    expect(() => parseConfig({ PORT: 'x' })).toThrow(/README section "Configuration"/);
  });
});

describe('loadConfig', () => {
  it('generates a development JWT secret once and keeps it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hs-')), 'nested', 'secret');
    const first = loadConfig({}, file);
    const second = loadConfig({}, file);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(readFileSync(file, 'utf8')).toBe(first.jwtSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('uses JWT_SECRET when set', () => {
    expect(loadConfig({ JWT_SECRET: 'z'.repeat(40) }, '/nonexistent/never-written').jwtSecret).toBe('z'.repeat(40));
  });
});

describe('single sign-on settings', () => {
  const OIDC = { OIDC_ISSUER: 'https://login.example.com/realms/acme', OIDC_CLIENT_ID: 'hindsight', OIDC_CLIENT_SECRET: 's3cret' };

  it('is off by default, with password sign-in on', () => {
    expect(parseConfig({})).toMatchObject({ oidc: null, passwordLogin: 'on' });
  });

  it('reads the provider, label, domains and role map', () => {
    const c = parseConfig({ ...OIDC, OIDC_NAME: 'Okta', OIDC_ALLOWED_DOMAINS: 'example.com, corp.example.com', OIDC_ROLE_CLAIM: 'roles', OIDC_ROLE_MAP: 'sre-admins=ADMIN,oncall=COMMANDER', PASSWORD_LOGIN: 'admin-only' });
    expect(c.passwordLogin).toBe('admin-only');
    expect(c.oidc).toEqual({
      issuer: 'https://login.example.com/realms/acme', clientId: 'hindsight', clientSecret: 's3cret', name: 'Okta',
      allowedDomains: ['example.com', 'corp.example.com'], roleClaim: 'roles',
      roleMap: [{ value: 'sre-admins', role: 'ADMIN' }, { value: 'oncall', role: 'COMMANDER' }],
    });
  });

  it('defaults the label and the role claim, and keeps roles in Hindsight without a role map', () => {
    expect(parseConfig(OIDC).oidc).toMatchObject({ name: 'single sign-on', roleClaim: 'groups', roleMap: [], allowedDomains: [] });
  });

  it.each([
    [{ OIDC_CLIENT_ID: 'x' }, 'OIDC_CLIENT_ID is set but OIDC_ISSUER is not: set OIDC_ISSUER to your provider\'s issuer URL, or remove the OIDC_ settings'],
    [{ OIDC_ISSUER: 'https://idp.example.com', OIDC_CLIENT_SECRET: 's' }, 'OIDC_CLIENT_ID is required with OIDC_ISSUER: the client ID of the application registered at your provider'],
    [{ ...OIDC, OIDC_ISSUER: 'http://idp.example.com' }, 'OIDC_ISSUER must be an https:// URL (got "http://idp.example.com"); http:// is accepted only for localhost'],
    [{ ...OIDC, OIDC_ISSUER: 'idp' }, 'OIDC_ISSUER is not a valid URL (got "idp"); example: https://login.example.com/realms/acme'],
    [{ ...OIDC, OIDC_ROLE_MAP: 'sre=ROOT' }, 'OIDC_ROLE_MAP: "sre=ROOT" is not <group>=<role> with a role of VIEWER, COMMANDER, MANAGER, ADMIN (example: sre-admins=ADMIN,eng-managers=MANAGER,oncall=COMMANDER)'],
    [{ ...OIDC, OIDC_ALLOWED_DOMAINS: 'example' }, 'OIDC_ALLOWED_DOMAINS: "example" is not a domain name like example.com'],
    [{ PASSWORD_LOGIN: 'sometimes' }, 'PASSWORD_LOGIN must be one of on, admin-only, off (got "sometimes")'],
    [{ PASSWORD_LOGIN: 'off' }, 'PASSWORD_LOGIN=off needs single sign-on (OIDC_ISSUER and the other OIDC_ settings), or nobody could sign in'],
  ])('refuses %j', (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  it('accepts a provider on this machine over plain http (development, tests)', () => {
    expect(parseConfig({ ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:4000', PASSWORD_LOGIN: 'off' })).toMatchObject({ passwordLogin: 'off', oidc: { issuer: 'http://127.0.0.1:4000' } });
  });
});

describe('GraphQL request limits', () => {
  it('default to the documented limits', () => {
    expect(parseConfig({}).graphqlLimits).toEqual(DEFAULT_GRAPHQL_LIMITS);
    expect(DEFAULT_GRAPHQL_LIMITS).toEqual({ bodyBytes: 1_048_576, documentBytes: 12_000, tokens: 1000, aliases: 15, directives: 50, fragments: 30, depth: 10, cost: 10_000, costPerMinute: 300_000 });
  });

  it('reads each GRAPHQL_ variable', () => {
    const c = parseConfig({
      GRAPHQL_MAX_BODY_BYTES: '2097152', GRAPHQL_MAX_DOCUMENT_BYTES: '20000', GRAPHQL_MAX_TOKENS: '2000', GRAPHQL_MAX_ALIASES: '30',
      GRAPHQL_MAX_DIRECTIVES: '10', GRAPHQL_MAX_FRAGMENTS: '5', GRAPHQL_MAX_DEPTH: '12', GRAPHQL_MAX_COST: '20000', GRAPHQL_COST_PER_MINUTE: '0',
    });
    expect(c.graphqlLimits).toEqual({ bodyBytes: 2_097_152, documentBytes: 20_000, tokens: 2000, aliases: 30, directives: 10, fragments: 5, depth: 12, cost: 20_000, costPerMinute: 0 });
  });

  it.each([
    [{ GRAPHQL_MAX_TOKENS: 'many' }, 'GRAPHQL_MAX_TOKENS must be a whole number from 100 to 100000 (got "many")'],
    [{ GRAPHQL_MAX_BODY_BYTES: '1000' }, 'GRAPHQL_MAX_BODY_BYTES must be a whole number from 16384 to 67108864 (got "1000")'],
    [{ GRAPHQL_COST_PER_MINUTE: '50000' }, 'GRAPHQL_COST_PER_MINUTE must be 0 (no budget) or at least 10 × GRAPHQL_MAX_COST = 100000 (got "50000")'],
  ])('refuses %j', (env, problem) => {
    expect(problemsOf(env)).toContain(problem);
  });
});

describe('scaling settings (docs/scaling.md)', () => {
  it('changes nothing when none is set: one database URL for everything, one Redis server, no tracing', () => {
    const c = parseConfig({ DATABASE_URL: 'postgres://app@db:5432/h' });
    expect(c).toMatchObject({
      databaseMigrationUrl: 'postgres://app@db:5432/h', databaseListenUrl: 'postgres://app@db:5432/h', databasePoolMode: 'session',
      databasePreparedStatements: true, databaseReadUrl: null, databaseReadMaxLagSeconds: 30, queuePrefix: 'hindsight', tracing: null,
      redis: { url: 'redis://127.0.0.1:6379', sentinels: null, sentinelName: null, cluster: false, tlsCaFile: null },
    });
  });

  it('through PgBouncer in transaction pooling: no listening and no named statements on DATABASE_URL unless told', () => {
    const pooled = parseConfig({ DATABASE_URL: 'postgres://app@pgbouncer:6432/h', DATABASE_POOL_MODE: 'transaction' });
    expect(pooled).toMatchObject({ databaseListenUrl: null, databasePreparedStatements: false, databaseMigrationUrl: 'postgres://app@pgbouncer:6432/h' });
    const direct = parseConfig({
      DATABASE_URL: 'postgres://app@pgbouncer:6432/h', DATABASE_POOL_MODE: 'transaction', DATABASE_LISTEN_URL: 'postgres://app@db:5432/h',
      DATABASE_MIGRATION_URL: 'postgres://owner@db:5432/h', DATABASE_PREPARED_STATEMENTS: 'on', DATABASE_READ_URL: 'postgres://app@replica:5432/h', DATABASE_READ_MAX_LAG_SECONDS: '5',
    });
    expect(direct).toMatchObject({
      databaseListenUrl: 'postgres://app@db:5432/h', databaseMigrationUrl: 'postgres://owner@db:5432/h', databasePreparedStatements: true,
      databaseReadUrl: 'postgres://app@replica:5432/h', databaseReadMaxLagSeconds: 5,
    });
  });

  it('reads Sentinel, Cluster (with a hash-tagged prefix by default), TLS and tracing', () => {
    expect(parseConfig({ REDIS_URL: 'redis://:pw@ignored:6379/2', REDIS_SENTINELS: 's1:26379, s2, [::1]:26380', REDIS_SENTINEL_NAME: 'hindsight' }).redis).toEqual({
      url: 'redis://:pw@ignored:6379/2', sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }, { host: '::1', port: 26380 }],
      sentinelName: 'hindsight', sentinelPassword: null, cluster: false, tlsCaFile: null,
    });
    const cluster = parseConfig({ REDIS_URL: 'rediss://node-1:6379', REDIS_CLUSTER: 'true', REDIS_TLS_CA_FILE: '/etc/redis/ca.pem' });
    expect(cluster.queuePrefix).toBe('{hindsight}');
    expect(cluster.redis).toMatchObject({ cluster: true, tlsCaFile: '/etc/redis/ca.pem' });
    expect(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%3Db, x-tenant=ops' }).tracing).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces', serviceName: null, headers: { 'api-key': 'a=b', 'x-tenant': 'ops' },
    });
    expect(parseConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.com/traces', OTEL_SERVICE_NAME: 'hs' }).tracing).toMatchObject({ tracesUrl: 'https://otlp.example.com/traces', serviceName: 'hs' });
  });

  it.each([
    [{ DATABASE_POOL_MODE: 'statement' }, 'DATABASE_POOL_MODE must be session or transaction (got "statement"); transaction when DATABASE_URL goes through PgBouncer with pool_mode = transaction'],
    [{ DATABASE_PREPARED_STATEMENTS: 'yes' }, 'DATABASE_PREPARED_STATEMENTS must be on or off (got "yes"); on through PgBouncer only from 1.21 with max_prepared_statements set'],
    [{ DATABASE_READ_URL: 'mysql://replica' }, 'DATABASE_READ_URL must be a postgres:// or postgresql:// URL (got "mysql://…")'],
    [{ DATABASE_READ_MAX_LAG_SECONDS: '0' }, 'DATABASE_READ_MAX_LAG_SECONDS must be a whole number from 1 to 3600 (got "0")'],
    [{ REDIS_SENTINELS: 's1:26379' }, 'REDIS_SENTINEL_NAME is required with REDIS_SENTINELS: the name the sentinels monitor the primary under (sentinel monitor <name> …)'],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_SENTINEL_NAME is set but REDIS_SENTINELS is not: list the sentinels (host:port, comma-separated)'],
    [{ REDIS_SENTINELS: 's1:99999', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINELS: "s1:99999" is not host:port (example: sentinel-1:26379,sentinel-2:26379,sentinel-3:26379)'],
    [{ REDIS_CLUSTER: 'true', QUEUE_PREFIX: 'hindsight' }, 'QUEUE_PREFIX must hold a hash tag in braces with REDIS_CLUSTER=true, e.g. {hindsight} (got "hindsight"): a queue\'s keys must live on one cluster node'],
    [{ REDIS_CLUSTER: 'yes' }, 'REDIS_CLUSTER must be true or false (got "yes")'],
    [{ REDIS_TLS_CA_FILE: '/ca.pem' }, 'REDIS_TLS_CA_FILE is set but REDIS_URL is not rediss://: TLS is used only with a rediss:// URL'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL (OTLP over HTTP; got "grpc://…")'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, 'OTEL_EXPORTER_OTLP_HEADERS: "novalue" is not key=value (example: api-key=abc123,x-tenant=ops)'],
  ])('refuses %j', (env, problem) => {
    expect(problemsOf(env as Record<string, string>)).toEqual([problem]);
  });
});
