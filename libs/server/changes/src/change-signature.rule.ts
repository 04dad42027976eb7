import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChangeSourceKind } from '@hindsight/domain';

export type Headers = Record<string, string | string[] | undefined>;

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type SignatureCheck = 'ok' | 'missing' | 'bad';

/**
 * Whether a change webhook came from the sender holding the change source's secret, the way
 * each signs: GitHub `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`; GitLab
 * sends the secret itself in `X-Gitlab-Token` (it does not sign bodies).
 */
export function verifyChangeWebhook(kind: ChangeSourceKind, headers: Headers, rawBody: Buffer, secret: string): SignatureCheck {
  switch (kind) {
    case 'GITHUB': {
      const sig = header(headers, 'x-hub-signature-256');
      if (!sig) return 'missing';
      return same(sig, `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`) ? 'ok' : 'bad';
    }
    case 'GITLAB': {
      const token = header(headers, 'x-gitlab-token');
      if (!token) return 'missing';
      return same(token, secret) ? 'ok' : 'bad';
    }
    default: {
      const unknown: never = kind;
      return unknown;
    }
  }
}

/** 32 random bytes, URL-safe: what GitHub and GitLab are given as the webhook secret. */
export function newChangeSourceSecret(): string {
  return randomBytes(32).toString('base64url');
}
