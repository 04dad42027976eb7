import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditService } from '@hindsight/server-audit';
import { AppError } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { AuthService } from '@hindsight/server-identity';
import { SlackApi, slackFailure, SlackUser } from './slack.api';
import { SlackPersonRow, SlackRepository } from './slack.repository';

/** A remembered match is asked again after this long: the Slack user may have been deactivated, or changed address. */
export const SLACK_RECHECK_MS = 60 * 60 * 1000;
/** A sign-in link that links a Slack user to an account is good for this long, once. */
export const SLACK_LINK_TTL_SECONDS = 30 * 60;

export type SlackPerson =
  | { kind: 'matched'; actor: SessionActor }
  /** Nobody here with their verified address (or their account is deactivated): they get a sign-in link. */
  | { kind: 'unmatched'; linkUrl: string }
  /** Deactivated in Slack: nothing is done for them. */
  | { kind: 'deactivated' };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Who a Slack user is here. Matched by their e-mail address as Slack verified it
 * (`users.info` / `users.lookupByEmail`, `users:read.email`), remembered, and asked again after
 * an hour (a deactivated Slack user loses the match). Someone nobody matches gets a single-use
 * sign-in link that links the two accounts: nobody acts as someone else.
 */
@Injectable()
export class SlackPeopleService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: SlackRepository,
    private readonly api: SlackApi,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async person(botToken: string, slackTeamId: string, slackUserId: string, now = new Date()): Promise<SlackPerson> {
    let row = await this.repo.person(slackTeamId, slackUserId);
    if (!row || now.getTime() - new Date(row.checkedAt).getTime() > SLACK_RECHECK_MS || (row.userId === null && !row.deleted)) {
      row = await this.check(botToken, slackTeamId, slackUserId, row);
    }
    if (row.deleted) return { kind: 'deactivated' };
    const actor = row.userId ? await this.auth.chatActor(row.userId) : null;
    if (actor) return { kind: 'matched', actor };
    return { kind: 'unmatched', linkUrl: await this.linkUrl(slackTeamId, slackUserId) };
  }

  /** Uses a sign-in link from Slack: the signed-in person is that Slack user from now on. */
  async link(actor: SessionActor, token: string): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const found = await this.repo.useLinkToken(em, hashToken(token), actor.id);
      if (!found) throw new AppError('This link is used or expired: run /hindsight again in Slack for a new one.', 'BAD_USER_INPUT', { field: 'token', reason: 'used or expired' });
      // Nobody acts as someone else: a Slack user already someone else's here, or whose address is
      // someone else's, is not theirs to take (the token stays unused: this transaction rolls back).
      const slackPerson = await this.repo.person(found.slackTeamId, found.slackUserId);
      const owner = slackPerson?.userId ?? (slackPerson?.slackEmail ? (await this.auth.activeUserByEmail(slackPerson.slackEmail))?.id : null) ?? null;
      if (owner && owner !== actor.id) {
        throw new AppError(
          'This link was made for a Slack account that belongs to someone else here: only they can link it. If it is yours, sign in as yourself and run /hindsight again in Slack.',
          'FORBIDDEN',
          { field: 'token', reason: 'someone else' },
        );
      }
      await this.repo.linkPerson(em, found.slackTeamId, found.slackUserId, actor.id);
      await this.audit.record(em, { actorId: actor.id, action: 'slack.link', entityType: 'User', entityId: actor.id, after: { slackTeamId: found.slackTeamId, slackUserId: found.slackUserId } });
      return true;
    });
  }

  private async check(botToken: string, slackTeamId: string, slackUserId: string, before: SlackPersonRow | null): Promise<SlackPersonRow> {
    let user: SlackUser | undefined;
    try {
      user = (await this.api.client(botToken).users.info({ user: slackUserId })).user as SlackUser | undefined;
    } catch (e) {
      if (slackFailure(e).error !== 'user_not_found') throw e;
    }
    const deleted = !user || user.deleted === true;
    const email = user?.profile?.email ?? null;
    // Only an address Slack confirmed matches: anyone can type one into their profile elsewhere.
    const account = !deleted && email && user?.is_email_confirmed !== false && !user?.is_bot ? await this.auth.activeUserByEmail(email) : null;
    const keepSignIn = before?.matchedBy === 'SIGN_IN' && !account;
    return this.repo.rememberPerson({
      slackTeamId, slackUserId, slackEmail: email, deleted,
      userId: account?.id ?? (keepSignIn ? before.userId : null),
      matchedBy: account ? 'EMAIL' : keepSignIn ? 'SIGN_IN' : 'NONE',
    });
  }

  private async linkUrl(slackTeamId: string, slackUserId: string): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    await this.repo.insertLinkToken(hashToken(token), slackTeamId, slackUserId, SLACK_LINK_TTL_SECONDS);
    return `${this.config.publicUrl}/slack/link?token=${token}`;
  }
}
