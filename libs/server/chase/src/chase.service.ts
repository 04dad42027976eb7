import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ExtensionEvent, nudgeResponseStats, NudgeResponseStats } from '@hindsight/domain';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { NO_SMTP_ERROR } from './channels/email/email.channel';
import { SlackAppLink } from './channels/slack/slack-app.port';
import { ChaseRepository, NewDelivery } from './chase.repository';

/** The people and team an extension request message goes to (the work room decides who). */
export interface ExtensionMessageRecipients {
  people: readonly { email: string; name: string | null }[];
  /** The team whose notification channels hear of it too; null: none. */
  teamChannelsOf: string | null;
}

/**
 * What other rooms ask of the chaser, and the only way they reach it: messages written to its
 * delivery outbox, and how teams answer reminders. The chaser keeps the channels, the outbox
 * rows and the SMTP rule to itself.
 */
@Injectable()
export class ChaseService {
  constructor(
    private readonly repo: ChaseRepository,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly slackApp: SlackAppLink,
  ) {}

  /**
   * The messages about an extension request, written to the delivery outbox in the caller's
   * transaction, so each goes out exactly once: an e-mail to each person, and one message per
   * channel of the team (an EMAIL channel whose address a person already gets is left out), and
   * a Slack DM to each person the Slack app can reach.
   * Without SMTP an e-mail is FAILED at once with the reason. Returns the ids to hand to
   * ChaseQueueProducer.enqueueDeliveries after the commit.
   */
  async queueExtensionMessages(em: EntityManager, about: { extensionRequestId: string; event: ExtensionEvent }, to: ExtensionMessageRecipients): Promise<string[]> {
    const smtp = this.config.smtpUrl !== null;
    const message = { nudgeId: null, digestId: null, extensionRequestId: about.extensionRequestId, extensionEvent: about.event };
    const rows: NewDelivery[] = to.people.map((p) => ({
      ...message, kind: 'EMAIL', channelId: null, recipient: p.email, recipientName: p.name, status: smtp ? 'PENDING' : 'FAILED', lastError: smtp ? null : NO_SMTP_ERROR,
    }));
    // People the Slack app can DM hear of it there too (the manager gets Approve / Decline).
    const port = this.slackApp.get();
    if (port && to.people.length && (await port.enabled().catch(() => false))) {
      const reachable = await port.reachable(to.people.map((p) => p.email.toLowerCase()));
      for (const p of to.people) {
        if (reachable.has(p.email.toLowerCase())) rows.push({ ...message, kind: 'SLACK', channelId: null, recipient: p.email, recipientName: p.name, status: 'PENDING', lastError: null });
      }
    }
    if (to.teamChannelsOf !== null) {
      const seen = new Set(rows.map((r) => r.recipient.toLowerCase()));
      for (const c of (await this.repo.listChannels(em)).filter((ch) => ch.teamId === to.teamChannelsOf)) {
        if (c.kind === 'EMAIL' && seen.has(c.target.toLowerCase())) continue;
        const failed = c.kind === 'EMAIL' && !smtp;
        rows.push({
          ...message, kind: c.kind, channelId: c.id, recipient: c.kind === 'EMAIL' ? c.target : c.name, recipientName: null,
          status: failed ? 'FAILED' : 'PENDING', lastError: failed ? NO_SMTP_ERROR : null,
        });
      }
    }
    return this.repo.insertDeliveries(em, rows);
  }

  /** Reminders sent in [from, to) (of one team, or every team) and how they were answered, per team and step. */
  async nudgeResponses(from: Date, to: Date, teamId: string | null, now: Date): Promise<NudgeResponseStats[]> {
    return nudgeResponseStats(await this.repo.nudgeAnswers(from, to, teamId), now);
  }
}
