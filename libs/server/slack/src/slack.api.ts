import { Inject, Injectable } from '@nestjs/common';
import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { OutboundGuard } from '@hindsight/server-outbound';

/** How one call may wait: a person's request retries briefly; a delivery leaves its retries (and Retry-After) to the outbox. */
export type SlackCallMode = 'interactive' | 'delivery';

const TIMEOUT_MS = 10_000;
const RETRIES: Record<SlackCallMode, WebClientOptions['retryConfig']> = {
  // 429 (after its Retry-After) and 5xx: up to four more tries, 0.2 s → 1.6 s apart.
  interactive: { retries: 4, factor: 2, minTimeout: 200, maxTimeout: 2_000 },
  delivery: { retries: 0 },
};

/** A Slack user as `users.info` and `users.lookupByEmail` return them (the fields Hindsight reads). */
export interface SlackUser {
  id?: string;
  team_id?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_email_confirmed?: boolean;
  profile?: { email?: string };
}

/** What Slack's Web API answered for a failed call: `error` is Slack's code (channel_not_found, invalid_auth …). */
export interface SlackFailure {
  error: string | null;
  status: number | null;
  retryAfterSeconds: number | null;
}

/** Reads Slack's answer out of whatever @slack/web-api threw (a platform error, an HTTP error, a rate limit, a request error). */
export function slackFailure(e: unknown): SlackFailure {
  const err = e as { code?: string; data?: { error?: string }; statusCode?: number; retryAfter?: number; original?: { code?: string } };
  return {
    error: err?.data?.error ?? null,
    status: typeof err?.statusCode === 'number' ? err.statusCode : err?.code === 'slack_webapi_rate_limited_error' ? 429 : null,
    retryAfterSeconds: typeof err?.retryAfter === 'number' ? err.retryAfter : null,
  };
}

/**
 * Slack's Web API through the official client (`@slack/web-api`), its sockets through the
 * outbound guard. `SLACK_API_URL` says where the API is (tests: a loopback fake, which the
 * guard lets through only with OUTBOUND_ALLOWLIST). Interactive calls are retried on 429
 * (after Retry-After) and 5xx by the client; delivery calls are not (the outbox retries them).
 */
@Injectable()
export class SlackApi {
  private readonly clients = new Map<string, WebClient>();

  constructor(
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly guard: OutboundGuard,
  ) {}

  client(token: string, mode: SlackCallMode = 'interactive'): WebClient {
    const key = `${mode}:${token}`;
    let client = this.clients.get(key);
    if (!client) {
      const https = this.config.slack.apiUrl.startsWith('https:');
      client = new WebClient(token, {
        slackApiUrl: this.config.slack.apiUrl,
        agent: https ? this.guard.httpsAgent : this.guard.httpAgent,
        retryConfig: RETRIES[mode],
        rejectRateLimitedCalls: mode === 'delivery',
        timeout: TIMEOUT_MS,
        // Absolute URLs would send the token elsewhere; only the configured API is called.
        allowAbsoluteUrls: false,
        logLevel: LogLevel.ERROR,
      });
      if (this.clients.size >= 16) this.clients.clear();
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * Answers through a `response_url` Slack gave with a command or an interaction (ephemeral
   * replies, replacing the message): a plain JSON POST, no token. Retried on 429 and 5xx.
   */
  async respond(responseUrl: string, body: Record<string, unknown>): Promise<void> {
    let lastStatus = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      const res = await this.guard.request(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body), timeoutMs: TIMEOUT_MS });
      if (res.status >= 200 && res.status < 300) return;
      lastStatus = res.status;
      if (res.status !== 429 && res.status < 500) break;
      const after = Number(res.headers['retry-after']);
      await new Promise((r) => setTimeout(r, Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : 200 * 2 ** attempt));
    }
    throw new Error(`Slack's response_url answered HTTP ${lastStatus}`);
  }
}
