import { retryDelayMs } from '@hindsight/domain';
import { OutboundGuard, OutboundRefused, OutboundResponse } from '@hindsight/server-outbound';

export type TrackerFailure = 'unreachable' | 'unauthorized' | 'forbidden' | 'not-found' | 'rate-limited' | 'server' | 'rejected' | 'inside-network';

/**
 * A tracker's refusal in words an admin can act on. `retryable` failures (network, 5xx,
 * 429) are retried with backoff, honouring `retryAfterMs`; the others fail the push at once.
 */
export class TrackerHttpError extends Error {
  constructor(
    readonly failure: TrackerFailure,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
    /** The tracker's own messages, whole (Jira's `errorMessages` name the issue keys a search refused). */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'TrackerHttpError';
  }

  get retryable(): boolean {
    return this.failure === 'unreachable' || this.failure === 'server' || this.failure === 'rate-limited';
  }
}

export interface TrackerRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | string[] | undefined>;
  body?: unknown;
}

export const TRACKER_TIMEOUT_MS = 15_000;
/** GitHub answers 301 for a renamed repository; each hop is checked by the outbound guard. */
const MAX_REDIRECTS = 3;

/**
 * One tracker's REST API: base URL, authorisation header, JSON in and out, failures
 * classified. Requests go through the outbound guard: a tracker inside the network is refused.
 */
export class TrackerHttp {
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string>,
    private readonly outbound: OutboundGuard,
    private readonly timeoutMs = TRACKER_TIMEOUT_MS,
  ) {}

  async request<T>(r: TrackerRequest): Promise<T> {
    const url = new URL(this.baseUrl.replace(/\/+$/, '') + r.path);
    for (const [k, v] of Object.entries(r.query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) v.forEach((x) => url.searchParams.append(k, x));
      else url.searchParams.set(k, String(v));
    }
    let res: OutboundResponse;
    try {
      res = await this.outbound.request(url, {
        method: r.method ?? 'GET',
        headers: { accept: 'application/json', 'user-agent': 'Hindsight', ...this.headers, ...(r.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: r.body === undefined ? undefined : JSON.stringify(r.body),
        timeoutMs: this.timeoutMs,
        maxRedirects: MAX_REDIRECTS,
      });
    } catch (e) {
      if (e instanceof OutboundRefused) throw new TrackerHttpError('inside-network', `refused to connect to ${url.host}: ${e.message}`);
      const err = e as NodeJS.ErrnoException;
      const why = err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : err.code ?? err.message;
      throw new TrackerHttpError('unreachable', `cannot reach ${url.host} (${why})`);
    }
    if (res.status >= 200 && res.status < 300) return (res.body ? JSON.parse(res.body) : null) as T;
    throw classify(res, url);
  }
}

function classify(res: OutboundResponse, url: URL): TrackerHttpError {
  const messages = messagesOf(res.body);
  const details = messages ?? [];
  const detail = messages ? messages.join('; ').slice(0, 300) : res.body.slice(0, 200);
  const at = `${res.status} from ${url.host}${url.pathname}`;
  const header = (name: string): string | null => {
    const v = res.headers[name];
    return v === undefined ? null : Array.isArray(v) ? v[0] : v;
  };
  const retryAfter = header('retry-after');
  // GitHub signals an exhausted rate limit with 403 and x-ratelimit-remaining: 0.
  const githubLimit = res.status === 403 && header('x-ratelimit-remaining') === '0';
  if (res.status === 429 || res.status === 503 || githubLimit) {
    const reset = Number(header('x-ratelimit-reset'));
    const ms = retryAfter ? retryDelayMs(retryAfter, 0, new Date()) : githubLimit && reset ? Math.max(0, reset * 1000 - Date.now()) : retryDelayMs(null, 0, new Date());
    return new TrackerHttpError('rate-limited', `rate limited (${at}); retrying after ${Math.ceil(ms / 1000)} s`, res.status, ms);
  }
  if (res.status === 401) return new TrackerHttpError('unauthorized', `the tracker refused the token (${at}): it is wrong, expired or revoked`, 401);
  if (res.status === 403) return new TrackerHttpError('forbidden', `the token may not do this (${at})${detail ? `: ${detail}` : ''}`, 403);
  // GitHub answers 410 Gone for a deleted issue: as absent as a 404.
  if (res.status === 404 || res.status === 410) return new TrackerHttpError('not-found', `${res.status === 410 ? 'gone' : 'not found'} (${at})${detail ? `: ${detail}` : ''}`, res.status);
  if (res.status >= 500 || res.status === 408) return new TrackerHttpError('server', `the tracker failed (${at})`, res.status);
  return new TrackerHttpError('rejected', `the tracker refused the request (${at})${detail ? `: ${detail}` : ''}`, res.status, null, details);
}

/** The messages of a JSON error body; null when the body is not JSON. */
function messagesOf(text: string): string[] | null {
  try {
    const j = JSON.parse(text) as { message?: unknown; errorMessages?: unknown; error?: unknown; errors?: unknown };
    const parts = [j.message, ...(Array.isArray(j.errorMessages) ? j.errorMessages : []), j.error, j.errors && typeof j.errors === 'object' ? JSON.stringify(j.errors) : j.errors];
    return parts.filter((p): p is string => typeof p === 'string' && p.length > 0);
  } catch {
    return null;
  }
}
