import { ChannelMessage, SlackMessage, slackPayload } from '@hindsight/domain';
import type { OutboundGuard } from '@hindsight/server-outbound';
import { ChannelAdapter, ChannelAddress, DeliveryError } from '../channel.adapter';
import { classifyHttpFailure, postJson } from '../http.post';

/**
 * SLACK: an incoming-webhook message (Block Kit, the answers as URL buttons: no Slack app
 * needed). The webhook URL is the credential, kept sealed; the stored target is its redacted form.
 */
export class SlackChannel implements ChannelAdapter<'SLACK', SlackMessage> {
  readonly kind = 'SLACK';
  readonly credential = 'URL';

  constructor(private readonly guard: OutboundGuard) {}

  render(message: ChannelMessage): SlackMessage {
    return slackPayload(message);
  }

  send(payload: SlackMessage, to: ChannelAddress, deliveryId: string): Promise<void> {
    if (!to.credential) throw new DeliveryError('the SLACK channel has no webhook URL stored: delete it and add it again', true);
    return postJson(this.guard, to.credential, JSON.stringify(payload), { 'x-hindsight-delivery': deliveryId });
  }

  /** Slack answers 429 with Retry-After when a webhook posts too fast, 4xx (invalid_payload, channel_not_found …) when it never will. */
  classify(failure: unknown, now: Date): DeliveryError {
    return classifyHttpFailure(failure, now);
  }
}
