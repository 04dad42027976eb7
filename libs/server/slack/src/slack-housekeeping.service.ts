import { Injectable } from '@nestjs/common';
import { SlackRepository } from './slack.repository';

/**
 * How long a request's key is kept. Slack retries within minutes and a request signed over five
 * minutes ago is refused by the signature check anyway, so a day leaves a wide margin.
 */
export const SLACK_REQUEST_RETENTION_DAYS = 1;

/** What the worker clears up for the Slack app on a schedule. Safe to run anywhere, any number of times at once. */
@Injectable()
export class SlackHousekeeping {
  constructor(private readonly slack: SlackRepository) {}

  /** Forgets the keys of requests received over SLACK_REQUEST_RETENTION_DAYS ago; returns how many went. */
  pruneRequests(): Promise<number> {
    return this.slack.pruneRequests(SLACK_REQUEST_RETENTION_DAYS);
  }
}
