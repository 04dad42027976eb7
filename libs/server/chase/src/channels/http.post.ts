import { httpAttemptVerdict, type ChannelKind, type ChannelMessage } from '@hindsight/domain';
import { OutboundGuard, OutboundRefused } from '@hindsight/server-outbound';
import { ChannelAdapter, ChannelAddress, DeliveryError } from './channel.adapter';

export const HTTP_TIMEOUT_MS = 10_000;

/** The receiver answered, but not with 2xx. */
export class HttpRefusal extends Error {
  constructor(
    readonly host: string,
    readonly status: number,
    readonly retryAfter: string | undefined,
  ) {
    // Redirects are not followed: a webhook URL that moved is a configuration to fix.
    super(`POST ${host} answered HTTP ${status}`);
    this.name = 'HttpRefusal';
  }
}

/** No answer: refused by the outbound guard, no connection, or no answer in time. */
export class HttpUnreachable extends Error {
  constructor(
    host: string,
    readonly reason: Error,
  ) {
    super(`POST ${host} failed: ${reason.message}`);
    this.name = 'HttpUnreachable';
  }
}

/**
 * One JSON POST through the outbound guard's request (its keep-alive agents; a receiver inside
 * the network is refused at connect). Only the host ever appears in an error: the URL of a
 * SLACK or TEAMS channel is a credential.
 */
export async function postJson(guard: OutboundGuard, url: string, body: string, headers: Record<string, string>): Promise<void> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new DeliveryError('the channel URL is not a valid URL: delete the channel and add it again', true);
  }
  const res = await guard
    .request(target, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Hindsight-Chaser', ...headers }, body, timeoutMs: HTTP_TIMEOUT_MS })
    .catch((e: Error) => {
      throw new HttpUnreachable(target.host, e);
    });
  if (res.status >= 200 && res.status < 300) return;
  const retryAfter = res.headers['retry-after'];
  throw new HttpRefusal(target.host, res.status, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
}

/**
 * What a failed POST means (httpAttemptVerdict): 429, 408 and 5xx are tried again, after the
 * receiver's Retry-After when it sends one; other answers are refused for good; a receiver the
 * guard refuses stays refused, any other network failure is tried again.
 */
export function classifyHttpFailure(failure: unknown, now: Date): DeliveryError {
  if (failure instanceof HttpRefusal) {
    const verdict = httpAttemptVerdict(failure.status, failure.retryAfter, now);
    return new DeliveryError(failure.message, verdict.permanent, verdict.retryAfterMs);
  }
  if (failure instanceof HttpUnreachable) return new DeliveryError(failure.message, failure.reason instanceof OutboundRefused);
  return new DeliveryError(failure instanceof Error ? failure.message : String(failure), false);
}

/**
 * A channel whose messages are JSON POSTs through the outbound guard (a Slack incoming webhook,
 * a Teams workflow, a signed webhook): they share the transport, the delivery id every receiver
 * gets (to drop a retry it already has) and what a failed POST means; each says how its message
 * looks and where it goes.
 */
export abstract class JsonPostChannel<K extends ChannelKind, Payload> implements ChannelAdapter<K, Payload> {
  abstract readonly kind: K;
  abstract readonly credential: ChannelAdapter['credential'];

  constructor(protected readonly guard: OutboundGuard) {}

  abstract render(message: ChannelMessage): Payload;
  abstract send(payload: Payload, to: ChannelAddress, deliveryId: string): Promise<void>;

  protected post(url: string, body: string, deliveryId: string, headers: Record<string, string> = {}): Promise<void> {
    return postJson(this.guard, url, body, { 'x-hindsight-delivery': deliveryId, ...headers });
  }

  classify(failure: unknown, now: Date): DeliveryError {
    return classifyHttpFailure(failure, now);
  }
}
