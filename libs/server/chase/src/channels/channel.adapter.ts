import type { ChannelKind, ChannelMessage } from '@hindsight/domain';

/** A failed attempt; `permanent` ones are not retried (a 4xx answer, a broken channel). */
export class DeliveryError extends Error {
  /** The channel kind, for metrics; set by the delivery service. */
  kind: ChannelKind | null = null;
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The receiver said when to try again (Retry-After); null: the usual backoff. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Where one message goes, as its outbox row and its channel keep it. */
export interface ChannelAddress {
  /** The delivery's recipient: an email address for EMAIL, the channel's name otherwise. */
  readonly recipient: string;
  /** The channel's stored target, as shown (a SLACK or TEAMS URL is redacted there); null for a person's email. */
  readonly target: string | null;
  /** The channel's credential, decrypted: a WEBHOOK's signing key, a SLACK or TEAMS channel's whole URL. */
  readonly credential: string | null;
}

/**
 * One kind of notification channel, behind the one interface every kind implements (novu's
 * providers are the model): how a message looks there (`render`, from the domain's message
 * model and its pure renderers), how it gets there (`send`, through the outbound guard's HTTP
 * client or SMTP socket), and what a failure means (`classify`: tried again — when —, or
 * failed for good). Batching, the send lease and the ledger stay with the delivery service.
 */
export interface ChannelAdapter<K extends ChannelKind = ChannelKind, Payload = unknown> {
  readonly kind: K;
  /**
   * What the channel's sealed secret holds: the key its requests are signed with, its whole URL
   * (a credential: the stored target keeps it redacted), or nothing.
   */
  readonly credential: 'SIGNING_KEY' | 'URL' | null;
  render(message: ChannelMessage): Payload;
  /** Resolves once the receiver accepted it. A DeliveryError rejection says itself what it means; anything else goes to `classify`. */
  send(payload: Payload, to: ChannelAddress, deliveryId: string): Promise<void>;
  classify(failure: unknown, now: Date): DeliveryError;
  /** Releases what the adapter holds open (SMTP connections). */
  close?(): void;
}

/** Every channel kind with its adapter: a kind added to the enum without one does not compile. */
export type ChannelAdapters = { readonly [K in ChannelKind]: ChannelAdapter<K> };
