import { randomBytes } from 'node:crypto';
import type { ChangeSourceKind } from '@hindsight/domain';
import { header, hmacSha256Hex, sameSecret, type WebhookHeaders } from '@hindsight/server-common';

export type SignatureCheck = 'ok' | 'missing' | 'bad';

/**
 * Whether a change webhook came from the sender holding the change source's secret, the way
 * each signs: GitHub `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`; GitLab
 * sends the secret itself in `X-Gitlab-Token` (it does not sign bodies).
 */
export function verifyChangeWebhook(kind: ChangeSourceKind, headers: WebhookHeaders, rawBody: Buffer, secret: string): SignatureCheck {
  switch (kind) {
    case 'GITHUB': {
      const sig = header(headers, 'x-hub-signature-256');
      if (!sig) return 'missing';
      return sameSecret(sig, `sha256=${hmacSha256Hex(secret, rawBody)}`) ? 'ok' : 'bad';
    }
    case 'GITLAB': {
      const token = header(headers, 'x-gitlab-token');
      if (!token) return 'missing';
      return sameSecret(token, secret) ? 'ok' : 'bad';
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
