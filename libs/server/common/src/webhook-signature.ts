import { createHmac, timingSafeEqual } from 'node:crypto';

/** An inbound request's headers as Node parses them: lower-case names, repeated ones as arrays. */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

/** The first value of a header, by any case of its name. */
export function header(headers: WebhookHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Whether a received signature or token is the expected one, in constant time: no timing oracle for the secret. */
export function sameSecret(received: string, expected: string): boolean {
  const x = Buffer.from(received);
  const y = Buffer.from(expected);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Hex HMAC-SHA256 of the exact body bytes received (what GitHub, Jira and Linear sign). */
export function hmacSha256Hex(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}
