import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, SecretBoxError } from './secret-box';

const key = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  it('round-trips and never stores the plain text', () => {
    const box = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: key() });
    const sealed = box.encrypt('ghp_secret-token');
    expect(sealed).not.toContain('ghp_secret');
    expect(sealed).not.toBe(box.encrypt('ghp_secret-token'));
    expect(box.decrypt(sealed)).toBe('ghp_secret-token');
  });

  it('refuses a tampered ciphertext', () => {
    const box = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: key() });
    const parts = box.encrypt('token').split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
  });

  it('decrypts with a previous key after rotation', () => {
    const oldKey = key();
    const sealed = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: oldKey }).encrypt('token');
    const rotated = SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: key(), HINDSIGHT_ENCRYPTION_KEY_PREVIOUS: oldKey });
    expect(rotated.decrypt(sealed)).toBe('token');
    expect(SecretBox.keyIdOf(rotated.encrypt('x'))).toBe(rotated.currentKeyId);
    expect(() => SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: key() }).decrypt(sealed)).toThrow(/neither HINDSIGHT_ENCRYPTION_KEY nor/);
  });

  it('requires a 32-byte key, and one in production', () => {
    expect(() => SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: 'short' })).toThrow(SecretBoxError);
    expect(() => SecretBox.fromEnv({ NODE_ENV: 'production' })).toThrow(/required in production/);
    expect(SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: 'ab'.repeat(32) }).decrypt(SecretBox.fromEnv({ HINDSIGHT_ENCRYPTION_KEY: 'ab'.repeat(32) }).encrypt('hex'))).toBe('hex');
  });

  it('lets a production process without a key start, refusing to store secrets until it has one', () => {
    const box = SecretBox.forProcess({ NODE_ENV: 'production' });
    expect(() => box.encrypt('token')).toThrow(/HINDSIGHT_ENCRYPTION_KEY is not set/);
    expect(() => SecretBox.forProcess({ NODE_ENV: 'production', HINDSIGHT_ENCRYPTION_KEY: 'bad' })).toThrow(SecretBoxError);
  });

  it('generates a development key once', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hs-key-')), 'k');
    const a = SecretBox.fromEnv({}, file);
    const b = SecretBox.fromEnv({}, file);
    expect(b.decrypt(a.encrypt('same'))).toBe('same');
    expect(Buffer.from(readFileSync(file, 'utf8'), 'base64')).toHaveLength(32);
  });
});
