import { createHmac } from 'node:crypto';
import { ChannelMessage, webhookPayload } from '@hindsight/domain';
import { ChannelAddress, DeliveryError } from '../channel.adapter';
import { JsonPostChannel } from '../http.post';

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the channel's secret (contract header). */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * WEBHOOK: the contract's JSON body (`type` nudge, digest, extension_request or test) posted to
 * the channel's URL, with `X-Hindsight-Delivery` and `X-Hindsight-Signature`.
 */
export class WebhookChannel extends JsonPostChannel<'WEBHOOK', unknown> {
  readonly kind = 'WEBHOOK';
  readonly credential = 'SIGNING_KEY';

  render(message: ChannelMessage): unknown {
    return webhookPayload(message);
  }

  send(payload: unknown, to: ChannelAddress, deliveryId: string): Promise<void> {
    if (!to.credential) throw new DeliveryError('the WEBHOOK channel has no secret', true);
    if (!to.target) throw new DeliveryError('the channel has no target URL', true);
    // Serialised once: the signature covers exactly the bytes sent.
    const body = JSON.stringify(payload);
    return this.post(to.target, body, deliveryId, { 'x-hindsight-signature': signatureOf(body, to.credential) });
  }
}
