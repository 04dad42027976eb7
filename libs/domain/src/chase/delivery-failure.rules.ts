/*
 * Whether a failed attempt to deliver a message is worth repeating. The same rules for every
 * channel that posts over HTTP (Slack, Teams, WEBHOOK); e-mail has its own (SMTP reply codes).
 */

/** The longest wait a receiver's Retry-After is taken at: a larger one is capped, not ignored. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export interface AttemptVerdict {
  /** Trying again cannot help (the request is refused for good, or the channel is misconfigured). */
  readonly permanent: boolean;
  /** The receiver said when to come back (Retry-After); null: the usual backoff. */
  readonly retryAfterMs: number | null;
}

/**
 * Retry-After as RFC 9110 spells it: delay-seconds, or an HTTP-date; null when absent or
 * unreadable. A date in the past means "now" (0).
 */
export function retryAfterMs(header: string | readonly string[] | undefined, now: Date): number | null {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return null;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : /[a-z]/i.test(value) ? Date.parse(value) - now.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/**
 * An HTTP answer that is not 2xx: 429 (rate limited), 408 and 5xx are tried again — after the
 * receiver's Retry-After when it sends one —; any other 4xx, and 3xx (a webhook URL that moved
 * is a configuration to fix; redirects are not followed), are refused for good.
 */
export function httpAttemptVerdict(status: number, retryAfter: string | readonly string[] | undefined, now: Date): AttemptVerdict {
  const retryable = status === 408 || status === 429 || status >= 500 || status < 100;
  return { permanent: !retryable, retryAfterMs: retryable ? retryAfterMs(retryAfter, now) : null };
}

/**
 * An SMTP failure: a 5xx reply is permanent (unknown mailbox, refused), a 4xx one and a lost
 * connection may pass later; a server the outbound guard refuses stays refused.
 */
export function smtpAttemptVerdict(responseCode: number | undefined, refusedByGuard: boolean): AttemptVerdict {
  return { permanent: refusedByGuard || (typeof responseCode === 'number' && responseCode >= 500), retryAfterMs: null };
}
