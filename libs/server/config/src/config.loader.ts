import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HindsightConfig, parseConfig } from './config.schema';

/** Where a development JWT secret is kept between restarts (never used in production). */
export const DEV_SECRET_FILE = join(process.cwd(), '.hindsight', 'jwt-secret');

/**
 * Loads the configuration from the environment. Outside production an unset JWT_SECRET is
 * generated once and persisted, so sign-ins survive restarts of `npm run dev`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, secretFile = DEV_SECRET_FILE): Required<HindsightConfig> & { jwtSecret: string } {
  const config = parseConfig(env);
  if (config.jwtSecret !== null) return { ...config, jwtSecret: config.jwtSecret };
  let secret: string;
  if (existsSync(secretFile)) {
    secret = readFileSync(secretFile, 'utf8').trim();
  } else {
    secret = randomBytes(48).toString('base64url');
    mkdirSync(dirname(secretFile), { recursive: true });
    writeFileSync(secretFile, secret, { mode: 0o600 });
    chmodSync(secretFile, 0o600);
  }
  return { ...config, jwtSecret: secret };
}

export type ResolvedConfig = ReturnType<typeof loadConfig>;
