import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { TrackerKind } from '@hindsight/domain';

export type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const hmacHex = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');

/**
 * Whether a webhook came from the tracker holding the connection's secret, the way each
 * tracker signs:
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`;
 * - GitLab: the secret itself in `X-Gitlab-Token` (GitLab does not sign bodies);
 * - Jira (Cloud and Data Center webhooks with a secret): `X-Hub-Signature: sha256=<hex HMAC>`.
 * No secret configured: nothing is accepted (an unsigned webhook could close any item).
 */
export function verifyTrackerWebhook(kind: TrackerKind, headers: Headers, rawBody: Buffer, secret: string | null): boolean {
  if (!secret) return false;
  switch (kind) {
    case 'GITHUB': {
      const sig = header(headers, 'x-hub-signature-256');
      return !!sig && same(sig, `sha256=${hmacHex(secret, rawBody)}`);
    }
    case 'GITLAB': {
      const token = header(headers, 'x-gitlab-token');
      return !!token && same(token, secret);
    }
    case 'JIRA': {
      const sig = header(headers, 'x-hub-signature');
      return !!sig && same(sig, `sha256=${hmacHex(secret, rawBody)}`);
    }
    case 'LINEAR': {
      const sig = header(headers, 'linear-signature');
      return !!sig && same(sig, hmacHex(secret, rawBody));
    }
    default: {
      const unknown: never = kind;
      return unknown;
    }
  }
}

/**
 * The tracker's id of one delivery (the same on its redeliveries), so a replay is applied
 * once; a hash of the body when the tracker sends none.
 */
export function webhookDeliveryId(kind: TrackerKind, headers: Headers, rawBody: Buffer): string {
  const named =
    kind === 'GITHUB' ? header(headers, 'x-github-delivery')
    : kind === 'GITLAB' ? header(headers, 'x-gitlab-event-uuid') ?? header(headers, 'idempotency-key')
    : kind === 'JIRA' ? header(headers, 'x-atlassian-webhook-identifier')
    : header(headers, 'linear-delivery');
  return named ? `${kind}:${named}` : `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}
