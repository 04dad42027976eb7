import { Injectable } from '@nestjs/common';
import type { SlackMessage } from '@hindsight/domain';
import { DeliveryError, SlackAppPort, SlackAppTarget } from '@hindsight/server-chase';
import { SlackApi, slackFailure, SlackUser } from './slack.api';
import { SlackRepository } from './slack.repository';
import { SlackSettingsService } from './slack-settings.service';

/** Slack's answers that will never turn into a success by trying again. */
const PERMANENT = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'missing_scope',
  'user_disabled', 'user_not_found', 'users_not_found', 'invalid_blocks', 'invalid_arguments', 'msg_too_long', 'no_text', 'restricted_action', 'cannot_dm_bot',
]);

export const DELIVERY_METADATA_EVENT = 'hindsight_delivery';

/**
 * The chaser's Slack app port: posts a delivery by the bot (a DM to the person with its
 * address — matched before, or looked up in Slack now — or a channel by id), once. The attempt is recorded before the post and the message's
 * `ts` after; a retry of an attempt whose answer was lost looks in the conversation for the
 * message carrying the delivery id in its metadata before posting.
 */
@Injectable()
export class SlackAppAdapter implements SlackAppPort {
  constructor(
    private readonly settings: SlackSettingsService,
    private readonly api: SlackApi,
    private readonly repo: SlackRepository,
  ) {}

  async enabled(): Promise<boolean> {
    return (await this.settings.credentials()) !== null;
  }

  reachable(emails: readonly string[]): Promise<Set<string>> {
    return this.repo.reachable(emails);
  }

  async post(to: SlackAppTarget, payload: SlackMessage, deliveryId: string): Promise<void> {
    const credentials = await this.settings.credentials();
    if (!credentials) throw new DeliveryError('the Slack app is not set up on this server (Settings → Slack, docs/slack.md)', true);
    const client = this.api.client(credentials.botToken, 'delivery');
    const before = await this.repo.post(deliveryId);
    if (before?.ts) return;
    let channel: string;
    if ('channel' in to) channel = to.channel;
    else {
      const slackUserId = (await this.repo.slackUserOfEmail(to.person))?.slackUserId ?? (await this.lookUp(client, to.person));
      const opened = await client.conversations.open({ users: slackUserId });
      channel = String((opened.channel as { id?: string } | undefined)?.id ?? '');
      if (!channel) throw new DeliveryError('Slack opened no DM with the person', false);
    }
    if (before) {
      // Posted before, answer lost? The message says which delivery it is.
      const found = await this.find(client, channel, deliveryId, before.startedAt);
      if (found) return this.repo.posted(deliveryId, channel, found);
    }
    await this.repo.startPost(deliveryId, channel);
    const res = await client.chat.postMessage({
      channel, text: payload.text, blocks: payload.blocks as never, unfurl_links: false, unfurl_media: false,
      metadata: { event_type: DELIVERY_METADATA_EVENT, event_payload: { delivery_id: deliveryId } },
    });
    await this.repo.posted(deliveryId, String(res.channel ?? channel), String(res.ts));
  }

  classify(failure: unknown, now: Date): DeliveryError {
    void now;
    const f = slackFailure(failure);
    const what = f.error ?? (f.status ? `HTTP ${f.status}` : (failure as Error)?.message ?? String(failure));
    const message = `Slack answered ${what}`;
    if (f.status === 429 || f.error === 'ratelimited') return new DeliveryError(message, false, f.retryAfterSeconds !== null ? Math.min(f.retryAfterSeconds, 3600) * 1000 : null);
    if (f.error && PERMANENT.has(f.error)) return new DeliveryError(message, true);
    return new DeliveryError(message, false);
  }

  /**
   * A person the app has not matched yet (or whose match was lost), looked up in Slack by their
   * address when their DM is delivered (`users.lookupByEmail`): found with that address
   * confirmed, the match is remembered; found nobody, that is remembered for a day (no DM is
   * planned for them meanwhile) and the delivery fails for good saying why — the reminder still
   * goes by e-mail and to the team's channels. A 429 or 5xx is thrown as is: the outbox retries.
   */
  private async lookUp(client: ReturnType<SlackApi['client']>, email: string): Promise<string> {
    const account = await this.repo.activeUserOfEmail(email);
    if (!account) throw new DeliveryError('no active account here has this address any more', true);
    let found: SlackUser | undefined;
    try {
      found = (await client.users.lookupByEmail({ email: account.email })).user as SlackUser | undefined;
    } catch (e) {
      if (slackFailure(e).error !== 'users_not_found') throw e;
    }
    const miss = !found?.id
      ? 'not on Slack: no Slack user has this address (users.lookupByEmail)'
      : found.deleted
        ? 'not on Slack: the Slack user with this address is deactivated'
        : found.is_bot
          ? 'not on Slack: this address belongs to a Slack bot'
          : found.is_email_confirmed === false
            ? 'not on Slack: the Slack user with this address has not confirmed it'
            : null;
    if (miss || !found?.id) {
      const reason = miss ?? 'not on Slack';
      await this.repo.rememberMiss(email, reason);
      throw new DeliveryError(`${reason}; the reminder goes by e-mail and to the team's channels only`, true);
    }
    await this.repo.rememberPerson({
      slackTeamId: String(found.team_id ?? ''), slackUserId: found.id, userId: account.id, matchedBy: 'EMAIL', slackEmail: found.profile?.email ?? account.email, deleted: false,
    });
    await this.repo.forgetMiss(email);
    return found.id;
  }

  private async find(client: ReturnType<SlackApi['client']>, channel: string, deliveryId: string, since: Date): Promise<string | null> {
    const res = await client.conversations.history({ channel, oldest: String(Math.floor(since.getTime() / 1000) - 60), limit: 200, include_all_metadata: true });
    const hit = (res.messages ?? []).find((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { delivery_id?: string } } }).metadata;
      return meta?.event_type === DELIVERY_METADATA_EVENT && meta.event_payload?.delivery_id === deliveryId;
    });
    return hit?.ts ?? null;
  }
}
