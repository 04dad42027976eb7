import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a development encryption key is kept between restarts (never used in production). */
export const DEV_ENCRYPTION_KEY_FILE = join(process.cwd(), '.hindsight', 'encryption-key');
export const ENCRYPTION_KEY_VARIABLE = 'HINDSIGHT_ENCRYPTION_KEY';
export const PREVIOUS_KEYS_VARIABLE = 'HINDSIGHT_ENCRYPTION_KEY_PREVIOUS';

export class SecretBoxError extends Error {}

interface Key {
  id: string;
  bytes: Buffer;
}

function parseKey(raw: string, variable: string): Key {
  const text = raw.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (bytes.length !== 32) {
    throw new SecretBoxError(`${variable} must be 32 random bytes, as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`); got ${bytes.length} bytes`);
  }
  // Names the key inside each ciphertext, so rotation knows which rows still use an old one.
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

/** The process's SecretBox (SecretBox.forProcess), shared by every module that keeps secrets. */
export const SECRET_BOX = Symbol('SECRET_BOX');

/**
 * AES-256-GCM for every secret Hindsight keeps: tracker tokens, tracker webhook secrets and
 * notification channel secrets. A ciphertext reads
 * `v1.<key id>.<iv>.<tag>.<data>` (base64url): it decrypts with the current key or any
 * previous one, so keys rotate without downtime (docs/security.md).
 */
export class SecretBox {
  private readonly keys: Map<string, Key>;

  constructor(
    private readonly current: Key,
    previous: Key[] = [],
  ) {
    this.keys = new Map([current, ...previous].map((k) => [k.id, k]));
  }

  /**
   * From the environment. Outside production an unset key is generated once and kept in
   * `.hindsight/encryption-key`; in production it must be set.
   */
  static fromEnv(env: Record<string, string | undefined> = process.env, devKeyFile = DEV_ENCRYPTION_KEY_FILE): SecretBox {
    const previous = (env[PREVIOUS_KEYS_VARIABLE] ?? '').split(',').filter((s) => s.trim()).map((s) => parseKey(s, PREVIOUS_KEYS_VARIABLE));
    const raw = env[ENCRYPTION_KEY_VARIABLE]?.trim();
    if (raw) return new SecretBox(parseKey(raw, ENCRYPTION_KEY_VARIABLE), previous);
    if (env['NODE_ENV'] === 'production') {
      throw new SecretBoxError(`${ENCRYPTION_KEY_VARIABLE} is required in production to store tracker tokens and webhook secrets: set it to 32 random bytes (\`openssl rand -base64 32\`)`);
    }
    if (!existsSync(devKeyFile)) {
      mkdirSync(dirname(devKeyFile), { recursive: true });
      writeFileSync(devKeyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
      chmodSync(devKeyFile, 0o600);
    }
    return new SecretBox(parseKey(readFileSync(devKeyFile, 'utf8'), devKeyFile), previous);
  }

  /**
   * For the API and worker: a missing key in production must not stop an installation that
   * uses no trackers, so storing or reading a secret then fails with the reason instead. A key
   * that is set but malformed still fails at start.
   */
  static forProcess(env: Record<string, string | undefined> = process.env): SecretBox {
    if (env['NODE_ENV'] === 'production' && !env[ENCRYPTION_KEY_VARIABLE]?.trim()) return new UnavailableSecretBox();
    return SecretBox.fromEnv(env);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', this.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [version, keyId, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !keyId || iv === undefined || tag === undefined || data === undefined) throw new SecretBoxError('not a Hindsight ciphertext');
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretBoxError(`encrypted with key ${keyId}, which is neither ${ENCRYPTION_KEY_VARIABLE} nor in ${PREVIOUS_KEYS_VARIABLE}`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Whether a stored value is a ciphertext (rows from before encryption hold the plain text). */
  static isSealed(stored: string): boolean {
    return /^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]*$/.test(stored);
  }

  /** The id of the key a ciphertext was sealed with. */
  static keyIdOf(sealed: string): string {
    return sealed.split('.')[1] ?? '';
  }
}

class UnavailableSecretBox extends SecretBox {
  constructor() {
    super({ id: 'none', bytes: Buffer.alloc(32) });
  }

  override encrypt(): string {
    throw new SecretBoxError(`${ENCRYPTION_KEY_VARIABLE} is not set: tracker tokens and webhook secrets cannot be stored until it is (32 random bytes, \`openssl rand -base64 32\`)`);
  }

  override decrypt(): string {
    throw new SecretBoxError(`${ENCRYPTION_KEY_VARIABLE} is not set: tracker tokens and webhook secrets cannot be read until it is`);
  }
}
