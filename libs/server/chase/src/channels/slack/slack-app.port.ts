import { Injectable } from '@nestjs/common';
import type { SlackMessage } from '@hindsight/domain';
import type { DeliveryError } from '../channel.adapter';

/** Where the Slack app posts: a person by DM (found by their address), or a Slack channel by id. */
export type SlackAppTarget = { readonly person: string } | { readonly channel: string };

/**
 * What the chaser needs of the Slack app, which lives in a room above it (libs/server/slack:
 * it answers the buttons through the work room, which reaches the chaser). The app plugs
 * itself in at start-up (`SlackAppLink.use`); without it, SLACK channels post to their
 * incoming webhook only and nobody is sent a DM.
 */
export interface SlackAppPort {
  /** Whether the app is set up (a bot token, from the environment or Settings → Slack). */
  enabled(): Promise<boolean>;
  /**
   * Of these addresses (lower case), those of people the bot may DM: matched to a Slack user, or
   * not looked up yet (the delivery looks them up by address), but not found missing lately.
   */
  reachable(emails: readonly string[]): Promise<Set<string>>;
  /**
   * Posts once per delivery id: a retry after a send whose answer was lost (a worker killed
   * mid-delivery) finds the message it posted instead of posting another.
   */
  post(to: SlackAppTarget, payload: SlackMessage, deliveryId: string): Promise<void>;
  /** A failed post as a retried or permanent DeliveryError (429 with Retry-After, 5xx, channel_not_found …). */
  classify(failure: unknown, now: Date): DeliveryError;
}

/** The chaser's end of the port: empty until the Slack app plugs in. */
@Injectable()
export class SlackAppLink {
  private port: SlackAppPort | null = null;

  use(port: SlackAppPort): void {
    this.port = port;
  }

  get(): SlackAppPort | null {
    return this.port;
  }
}

/** A Slack channel id (public C…, private G…): a SLACK channel the app posts to instead of an incoming webhook. */
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;
