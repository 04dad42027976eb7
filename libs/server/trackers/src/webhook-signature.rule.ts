import { createHash } from 'node:crypto';
import type { TrackerKind } from '@hindsight/domain';
import { header, hmacSha256Hex, sameSecret, type WebhookHeaders } from '@hindsight/server-common';

/**
 * Whether a webhook came from the tracker holding the connection's secret, the way each
 * tracker signs:
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`;
 * - GitLab: the secret itself in `X-Gitlab-Token` (GitLab does not sign bodies);
 * - Jira (Cloud and Data Center webhooks with a secret): `X-Hub-Signature: sha256=<hex HMAC>`.
 * No secret configured: nothing is accepted (an unsigned webhook could close any item).
 */
export function verifyTrackerWebhook(kind: TrackerKind, headers: WebhookHeaders, rawBody: Buffer, secret: string | null): boolean {
  if (!secret) return false;
  switch (kind) {
    case 'GITHUB': {
      const sig = header(headers, 'x-hub-signature-256');
      return !!sig && sameSecret(sig, `sha256=${hmacSha256Hex(secret, rawBody)}`);
    }
    case 'GITLAB': {
      const token = header(headers, 'x-gitlab-token');
      return !!token && sameSecret(token, secret);
    }
    case 'JIRA': {
      const sig = header(headers, 'x-hub-signature');
      return !!sig && sameSecret(sig, `sha256=${hmacSha256Hex(secret, rawBody)}`);
    }
    case 'LINEAR': {
      const sig = header(headers, 'linear-signature');
      return !!sig && sameSecret(sig, hmacSha256Hex(secret, rawBody));
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
export function webhookDeliveryId(kind: TrackerKind, headers: WebhookHeaders, rawBody: Buffer): string {
  const named =
    kind === 'GITHUB' ? header(headers, 'x-github-delivery')
    : kind === 'GITLAB' ? header(headers, 'x-gitlab-event-uuid') ?? header(headers, 'idempotency-key')
    : kind === 'JIRA' ? header(headers, 'x-atlassian-webhook-identifier')
    : header(headers, 'linear-delivery');
  return named ? `${kind}:${named}` : `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}
