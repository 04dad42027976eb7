import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource, queryOne, queryReturned, queryRows } from '@hindsight/server-db';

export interface StoredSlackSettings {
  botToken: string;
  signingSecret: string;
  updatedAt: Date;
}

export interface SlackPersonRow {
  slackTeamId: string;
  slackUserId: string;
  userId: string | null;
  matchedBy: 'EMAIL' | 'SIGN_IN' | 'NONE';
  slackEmail: string | null;
  deleted: boolean;
  checkedAt: Date;
}

/** How long a `users.lookupByEmail` that found nobody is believed. */
export const SLACK_MISS_TTL_SECONDS = 24 * 60 * 60;

const PERSON = `slack_team_id AS "slackTeamId", slack_user_id AS "slackUserId", user_id AS "userId", matched_by AS "matchedBy",
  slack_email AS "slackEmail", deleted, checked_at AS "checkedAt"`;

/** All SQL of the Slack app: its sealed credentials, matched people, sign-in links and requests applied. */
@Injectable()
export class SlackRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  settings(): Promise<StoredSlackSettings | null> {
    return queryOne(this.ds, `SELECT bot_token AS "botToken", signing_secret AS "signingSecret", updated_at AS "updatedAt" FROM slack_settings`, []);
  }

  /** The stored credentials, locked for re-sealing them (trackers:rotate-key). */
  settingsForUpdate(em: EntityManager): Promise<Pick<StoredSlackSettings, 'botToken' | 'signingSecret'> | null> {
    return queryOne(em, `SELECT bot_token AS "botToken", signing_secret AS "signingSecret" FROM slack_settings FOR UPDATE`, []);
  }

  /** Re-sealed credentials; updated_at stays, as it says when an ADMIN last stored them. */
  async resealSettings(em: EntityManager, botToken: string, signingSecret: string): Promise<void> {
    await em.query(`UPDATE slack_settings SET bot_token = $1, signing_secret = $2`, [botToken, signingSecret]);
  }

  async saveSettings(em: EntityManager, botToken: string, signingSecret: string, actorId: string): Promise<void> {
    await em.query(
      `INSERT INTO slack_settings (id, bot_token, signing_secret, updated_at, updated_by) VALUES (true, $1, $2, now(), $3)
       ON CONFLICT (id) DO UPDATE SET bot_token = EXCLUDED.bot_token, signing_secret = EXCLUDED.signing_secret, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [botToken, signingSecret, actorId],
    );
  }

  async deleteSettings(em: EntityManager): Promise<boolean> {
    return (await queryRows(em, `DELETE FROM slack_settings RETURNING id`, [])).length > 0;
  }

  person(slackTeamId: string, slackUserId: string): Promise<SlackPersonRow | null> {
    return queryOne(this.ds, `SELECT ${PERSON} FROM slack_people WHERE slack_team_id = $1 AND slack_user_id = $2`, [slackTeamId, slackUserId]);
  }

  /** The Slack people matched to these accounts (a DM goes to the newest match of each). */
  peopleOfUsers(userIds: readonly string[]): Promise<SlackPersonRow[]> {
    return queryRows(this.ds, `SELECT DISTINCT ON (user_id) ${PERSON} FROM slack_people WHERE user_id = ANY($1::uuid[]) AND NOT deleted ORDER BY user_id, checked_at DESC`, [userIds]);
  }

  /**
   * What Slack said of a person, remembered. A match made by signing in is kept over a later
   * e-mail check that finds nobody (the person proved who they are); a deactivated Slack user
   * loses any match.
   */
  async rememberPerson(p: { slackTeamId: string; slackUserId: string; userId: string | null; matchedBy: SlackPersonRow['matchedBy']; slackEmail: string | null; deleted: boolean }): Promise<SlackPersonRow> {
    return queryReturned<SlackPersonRow>(
      this.ds,
      `INSERT INTO slack_people AS p (slack_team_id, slack_user_id, user_id, matched_by, slack_email, deleted, checked_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (slack_team_id, slack_user_id) DO UPDATE SET
         user_id = CASE WHEN EXCLUDED.deleted THEN NULL WHEN EXCLUDED.user_id IS NULL AND p.matched_by = 'SIGN_IN' THEN p.user_id ELSE EXCLUDED.user_id END,
         matched_by = CASE WHEN EXCLUDED.deleted THEN 'NONE' WHEN EXCLUDED.user_id IS NULL AND p.matched_by = 'SIGN_IN' THEN p.matched_by ELSE EXCLUDED.matched_by END,
         slack_email = EXCLUDED.slack_email, deleted = EXCLUDED.deleted, checked_at = now()
       RETURNING ${PERSON}`,
      [p.slackTeamId, p.slackUserId, p.deleted ? null : p.userId, p.deleted ? 'NONE' : p.matchedBy, p.slackEmail, p.deleted],
      'slack_people upsert returned nothing',
    );
  }

  async insertLinkToken(tokenHash: string, slackTeamId: string, slackUserId: string, ttlSeconds: number): Promise<void> {
    await this.ds.query(
      `INSERT INTO slack_link_tokens (token_hash, slack_team_id, slack_user_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [tokenHash, slackTeamId, slackUserId, ttlSeconds],
    );
  }

  /** Uses a sign-in link once: the Slack person it names, or null (unknown, used or expired). */
  useLinkToken(em: EntityManager, tokenHash: string, userId: string): Promise<{ slackTeamId: string; slackUserId: string } | null> {
    return queryOne(
      em,
      `UPDATE slack_link_tokens SET used_at = now(), used_by = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
       RETURNING slack_team_id AS "slackTeamId", slack_user_id AS "slackUserId"`,
      [tokenHash, userId],
    );
  }

  async linkPerson(em: EntityManager, slackTeamId: string, slackUserId: string, userId: string): Promise<void> {
    await em.query(
      `INSERT INTO slack_people (slack_team_id, slack_user_id, user_id, matched_by, deleted, checked_at) VALUES ($1, $2, $3, 'SIGN_IN', false, now())
       ON CONFLICT (slack_team_id, slack_user_id) DO UPDATE SET user_id = EXCLUDED.user_id, matched_by = 'SIGN_IN', deleted = false, checked_at = now()`,
      [slackTeamId, slackUserId, userId],
    );
  }

  /**
   * Records a request from Slack under its key; false when that key was seen already (Slack
   * retried it, or the same click arrived twice). The primary key decides, so concurrent
   * copies on several API processes apply once.
   */
  async firstTime(key: string): Promise<boolean> {
    const rows = await queryRows(this.ds, `INSERT INTO slack_requests (key) VALUES ($1) ON CONFLICT (key) DO NOTHING RETURNING key`, [key]);
    return rows.length === 1;
  }

  /** Forgets a request whose work failed, so Slack's retry of it is applied. */
  async forget(key: string): Promise<void> {
    await this.ds.query(`DELETE FROM slack_requests WHERE key = $1`, [key]);
  }

  /** Keys older than Slack ever retries (its retries come within minutes). */
  async pruneRequests(olderThanDays: number): Promise<number> {
    return (await queryRows(this.ds, `DELETE FROM slack_requests WHERE received_at < now() - make_interval(days => $1) RETURNING key`, [olderThanDays])).length;
  }

  /**
   * Of these addresses (lower case), those of active people the bot may DM: matched to a Slack
   * user, or not looked up yet (the delivery looks them up by address). An address Slack found
   * nobody for within the last day is left out.
   */
  async reachable(emails: readonly string[]): Promise<Set<string>> {
    const rows = await queryRows<{ email: string }>(
      this.ds,
      `SELECT DISTINCT lower(u.email) AS email FROM users u
        WHERE lower(u.email) = ANY($1::text[]) AND u.active
          AND NOT EXISTS (SELECT 1 FROM slack_email_misses m WHERE m.email = lower(u.email) AND m.checked_at > now() - make_interval(secs => $2))`,
      [emails, SLACK_MISS_TTL_SECONDS],
    );
    return new Set(rows.map((r) => r.email));
  }

  /** The active account with this address (a DM to a person not matched yet looks them up in Slack by it). */
  activeUserOfEmail(email: string): Promise<{ id: string; email: string } | null> {
    return queryOne(this.ds, `SELECT id, email FROM users WHERE lower(email) = lower($1) AND active LIMIT 1`, [email]);
  }

  /** Slack found nobody for this address: no DM is planned for it for a day. */
  async rememberMiss(email: string, reason: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO slack_email_misses (email, reason, checked_at) VALUES (lower($1), $2, now()) ON CONFLICT (email) DO UPDATE SET reason = EXCLUDED.reason, checked_at = now()`,
      [email, reason],
    );
  }

  async forgetMiss(email: string): Promise<void> {
    await this.ds.query(`DELETE FROM slack_email_misses WHERE email = lower($1)`, [email]);
  }

  /** The Slack user matched to the active account with this address. */
  slackUserOfEmail(email: string): Promise<{ slackTeamId: string; slackUserId: string } | null> {
    return queryOne(
      this.ds,
      `SELECT p.slack_team_id AS "slackTeamId", p.slack_user_id AS "slackUserId" FROM users u JOIN slack_people p ON p.user_id = u.id AND NOT p.deleted
        WHERE lower(u.email) = lower($1) AND u.active ORDER BY p.checked_at DESC LIMIT 1`,
      [email],
    );
  }

  post(deliveryId: string): Promise<{ channel: string; ts: string | null; startedAt: Date } | null> {
    return queryOne(this.ds, `SELECT channel, ts, started_at AS "startedAt" FROM slack_posts WHERE delivery_id = $1`, [deliveryId]);
  }

  async startPost(deliveryId: string, channel: string): Promise<void> {
    await this.ds.query(`INSERT INTO slack_posts (delivery_id, channel) VALUES ($1, $2) ON CONFLICT (delivery_id) DO UPDATE SET channel = EXCLUDED.channel`, [deliveryId, channel]);
  }

  async posted(deliveryId: string, channel: string, ts: string): Promise<void> {
    await this.ds.query(`UPDATE slack_posts SET channel = $2, ts = $3, posted_at = now() WHERE delivery_id = $1`, [deliveryId, channel, ts]);
  }
}
