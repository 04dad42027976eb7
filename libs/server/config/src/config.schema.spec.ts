import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from './config.schema';
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
      smtpUrl: null,
      jwtSecret: null,
      adminEmail: null,
      production: false,
    });
  });

  it('reads every variable', () => {
    const c = parseConfig({
      DATABASE_URL: 'postgresql://u:p@db:5432/h', REDIS_URL: 'rediss://r:6380', PORT: '8080',
      HINDSIGHT_ADMIN_EMAIL: 'ops@example.com', HINDSIGHT_ADMIN_PASSWORD: 'correct horse',
      JWT_SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://hindsight.example.com/', CHASE_INTERVAL_SECONDS: '60',
      SMTP_URL: 'smtp://mail:2525', NODE_ENV: 'production',
    });
    expect(c).toMatchObject({
      databaseUrl: 'postgresql://u:p@db:5432/h', redisUrl: 'rediss://r:6380', port: 8080,
      adminEmail: 'ops@example.com', adminPassword: 'correct horse', publicUrl: 'https://hindsight.example.com',
      chaseIntervalSeconds: 60, smtpUrl: 'smtp://mail:2525', production: true,
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 1 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 1 to 65535 (got "70000")'],
    [{ CHASE_INTERVAL_SECONDS: '1.5' }, 'CHASE_INTERVAL_SECONDS must be a whole number from 5 to 86400 (got "1.5")'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://…")'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL is not a valid URL (got "not a url"); example: redis://127.0.0.1:6379'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL must be a smtp:// or smtps:// URL (got "http://…")'],
    [{ HINDSIGHT_ADMIN_EMAIL: 'ops@example.com' }, 'HINDSIGHT_ADMIN_EMAIL and HINDSIGHT_ADMIN_PASSWORD go together: set both or neither'],
    [{ HINDSIGHT_ADMIN_EMAIL: 'nope', HINDSIGHT_ADMIN_PASSWORD: 'long enough' }, 'HINDSIGHT_ADMIN_EMAIL is not an email address (got "nope")'],
    [{ HINDSIGHT_ADMIN_EMAIL: 'a@b.co', HINDSIGHT_ADMIN_PASSWORD: 'short' }, 'HINDSIGHT_ADMIN_PASSWORD must be at least 8 characters'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET is required in production: set it to a random string of at least 32 characters'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be development, test or production (got "staging")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
  ])('refuses %j', (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
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
