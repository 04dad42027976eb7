import { ChannelMessage, SlackMessage, slackAppMessage, slackPayload } from '@hindsight/domain';
import type { OutboundGuard } from '@hindsight/server-outbound';
import { ChannelAddress, DeliveryError } from '../channel.adapter';
import { JsonPostChannel } from '../http.post';
import { SLACK_CHANNEL_ID, SlackAppLink } from './slack-app.port';

/** Both forms of a Slack message: with URL buttons (an incoming webhook) and with interactive ones (the app). */
export interface SlackPayloads {
  readonly webhook: SlackMessage;
  readonly app: SlackMessage;
}

class SlackAppFailure extends Error {
  constructor(override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

/**
 * SLACK, two ways. A channel with an incoming-webhook URL (the credential, kept sealed; the
 * stored target is its redacted form) gets Block Kit with the answers as URL buttons: no Slack
 * app needed. With the Slack app set up (docs/slack.md), a channel whose target is a Slack
 * channel id, and a person (a delivery with no channel, to their address, by DM), get the
 * answers as interactive buttons, posted by the bot.
 */
export class SlackChannel extends JsonPostChannel<'SLACK', SlackPayloads> {
  readonly kind = 'SLACK';
  readonly credential = 'URL';

  constructor(
    guard: OutboundGuard,
    private readonly app: SlackAppLink = new SlackAppLink(),
  ) {
    super(guard);
  }

  render(message: ChannelMessage): SlackPayloads {
    return { webhook: slackPayload(message), app: slackAppMessage(message) };
  }

  async send(payload: SlackPayloads, to: ChannelAddress, deliveryId: string): Promise<void> {
    if (to.credential) return this.post(to.credential, JSON.stringify(payload.webhook), deliveryId);
    const appTarget = to.target === null ? { person: to.recipient } : SLACK_CHANNEL_ID.test(to.target) ? { channel: to.target } : null;
    if (!appTarget) throw new DeliveryError('the SLACK channel has no webhook URL stored: delete it and add it again', true);
    const port = this.app.get();
    if (!port || !(await port.enabled())) throw new DeliveryError('the Slack app is not set up on this server (Settings → Slack, docs/slack.md)', true);
    try {
      await port.post(appTarget, payload.app, deliveryId);
    } catch (e) {
      throw e instanceof DeliveryError ? e : new SlackAppFailure(e);
    }
  }

  /** Slack answers 429 with Retry-After when posting too fast, 4xx (invalid_payload, channel_not_found …) when it never will. */
  override classify(failure: unknown, now: Date): DeliveryError {
    if (failure instanceof SlackAppFailure) {
      const port = this.app.get();
      return port ? port.classify(failure.cause, now) : new DeliveryError(failure.message, false);
    }
    return super.classify(failure, now);
  }
}
