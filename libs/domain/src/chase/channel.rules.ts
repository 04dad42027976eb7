import type { ChannelKind } from '../enums/contract.enums';
import type { FieldError } from '../validation/fields.validation';

/** An HMAC key shorter than this is guessable; 16 characters of a random string is the floor. */
export const WEBHOOK_SECRET_MIN_CHARS = 16;
export const WEBHOOK_SECRET_MAX_CHARS = 1024;

/**
 * The signing secret of a channel: WEBHOOK channels sign every body with it (the receiver
 * needs the same value, so it is chosen by the admin and never shown again); Slack and
 * email have no signature, so a secret there is a mistake worth reporting.
 */
export function validateChannelSecret(kind: ChannelKind, secret: string | null | undefined): FieldError[] {
  const value = secret ?? '';
  if (kind !== 'WEBHOOK') {
    return value === '' ? [] : [{ field: 'input.secret', reason: `only WEBHOOK channels are signed; leave the secret empty for ${kind}` }];
  }
  if (value.trim() === '') return [{ field: 'input.secret', reason: 'is required for WEBHOOK channels: the receiver verifies X-Hindsight-Signature with it' }];
  const n = [...value].length;
  if (n < WEBHOOK_SECRET_MIN_CHARS) return [{ field: 'input.secret', reason: `must be at least ${WEBHOOK_SECRET_MIN_CHARS} characters (got ${n}); use a random string` }];
  if (n > WEBHOOK_SECRET_MAX_CHARS) return [{ field: 'input.secret', reason: `must be at most ${WEBHOOK_SECRET_MAX_CHARS} characters (got ${n})` }];
  return [];
}

/** What stands for the secret part of a Slack or Teams webhook URL wherever the URL is shown. */
export const REDACTED = '****';

/**
 * A Slack incoming-webhook URL (or a Teams Workflows webhook URL, whose query carries its
 * signature `sig=`) as it may be shown (channel list, audit log): the path's last
 * segment is the credential — whoever has `https://hooks.slack.com/services/T0/B0/<secret>` can
 * post into the channel — so it becomes `****`, and so does a query (Slack-compatible servers
 * such as Mattermost or Rocket.Chat put tokens there). Host and the workspace / channel ids
 * stay, so an ADMIN can still tell channels apart: `https://hooks.slack.com/services/T0/B0/****`.
 */
export function redactWebhookUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return REDACTED;
  }
  const segments = u.pathname.split('/');
  const last = segments.findLastIndex((s) => s !== '');
  if (last >= 0) segments[last] = REDACTED;
  return `${u.protocol}//${u.host}${segments.join('/') || '/'}${u.search ? `?${REDACTED}` : ''}`;
}
