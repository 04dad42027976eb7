import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack signs each request at most this long ago; older ones are refused as replays. */
export const SLACK_SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

export type SlackSignatureCheck = 'ok' | 'missing' | 'stale' | 'bad';

/** `v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the app's signing secret, as Slack signs requests. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

/**
 * Slack's request verification: `X-Slack-Request-Timestamp` within five minutes of now (either
 * way), and `X-Slack-Signature` equal, in constant time, to the signature of the raw bytes as
 * they came (a body parsed and re-serialised would not match).
 */
export function verifySlackRequest(
  signingSecret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: Buffer,
  now: Date,
): SlackSignatureCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SLACK_SIGNATURE_MAX_AGE_SECONDS) return 'stale';
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, rawBody));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'bad';
}
