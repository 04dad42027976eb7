import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AuditService } from '@hindsight/server-audit';
import { badInput, SECRET_BOX, SecretBox } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { SlackApi, slackFailure } from './slack.api';
import { SlackRepository } from './slack.repository';

export interface SlackCredentials {
  botToken: string;
  signingSecret: string;
  /** ENVIRONMENT: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; STORED: Settings → Slack. */
  source: 'ENVIRONMENT' | 'STORED';
}

export interface SlackWorkspace {
  teamId: string;
  team: string;
  /** The workspace's address, `https://acme.slack.com/`: message permalinks are under it. */
  url: string;
  botUserId: string;
}

export interface SlackStatus {
  configured: boolean;
  source: SlackCredentials['source'] | null;
  updatedAt: Date | null;
}

/**
 * The Slack app's credentials: from the environment when both variables are set, else what an
 * ADMIN stored under Settings → Slack (sealed with HINDSIGHT_ENCRYPTION_KEY like every
 * stored secret). A token is checked with `auth.test` before it is stored.
 */
@Injectable()
export class SlackSettingsService {
  private opened: { sealed: string; credentials: SlackCredentials } | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: SlackRepository,
    private readonly api: SlackApi,
    private readonly audit: AuditService,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /** Null while the app is not set up. Throws SecretBoxError when the stored ones were sealed with a key this server lacks. */
  async credentials(): Promise<SlackCredentials | null> {
    const env = this.config.slack;
    if (env.botToken && env.signingSecret) return { botToken: env.botToken, signingSecret: env.signingSecret, source: 'ENVIRONMENT' };
    const stored = await this.repo.settings();
    if (!stored) return null;
    const sealed = `${stored.botToken}\n${stored.signingSecret}`;
    if (this.opened?.sealed !== sealed) {
      this.opened = { sealed, credentials: { botToken: this.box.decrypt(stored.botToken), signingSecret: this.box.decrypt(stored.signingSecret), source: 'STORED' } };
    }
    return this.opened.credentials;
  }

  async status(): Promise<SlackStatus> {
    const env = this.config.slack;
    if (env.botToken && env.signingSecret) return { configured: true, source: 'ENVIRONMENT', updatedAt: null };
    const stored = await this.repo.settings();
    return { configured: stored !== null, source: stored ? 'STORED' : null, updatedAt: stored?.updatedAt ?? null };
  }

  /** The workspace the token belongs to (`auth.test`); BAD_USER_INPUT on `botToken` when Slack refuses it. */
  async workspace(botToken: string): Promise<SlackWorkspace> {
    try {
      const r = await this.api.client(botToken).auth.test();
      return { teamId: String(r.team_id ?? ''), team: String(r.team ?? ''), url: String(r.url ?? ''), botUserId: String(r.user_id ?? '') };
    } catch (e) {
      const f = slackFailure(e);
      throw badInput('botToken', `Slack refused the token (${f.error ?? (f.status ? `HTTP ${f.status}` : (e as Error).message)}); copy the Bot User OAuth Token (xoxb-…) from the app's "OAuth & Permissions" page`);
    }
  }

  async save(actor: SessionActor, botToken: string, signingSecret: string): Promise<SlackStatus> {
    const token = botToken.trim();
    const secret = signingSecret.trim();
    if (!/^xox[bp]-[A-Za-z0-9-]+$/.test(token)) throw badInput('botToken', "must be the app's Bot User OAuth Token (xoxb-…)");
    if (!/^[0-9a-f]{16,128}$/i.test(secret)) throw badInput('signingSecret', 'must be the signing secret from the app\'s "Basic Information" page (hexadecimal)');
    const workspace = await this.workspace(token);
    await this.ds.transaction(async (em) => {
      await this.repo.saveSettings(em, this.box.encrypt(token), this.box.encrypt(secret), actor.id);
      // Never the secrets themselves: which workspace, and that they changed.
      await this.audit.record(em, { actorId: actor.id, action: 'slack.settings.save', entityType: 'SlackSettings', entityId: 'slack', after: { team: workspace.team, teamId: workspace.teamId } });
    });
    return this.status();
  }

  async remove(actor: SessionActor): Promise<SlackStatus> {
    await this.ds.transaction(async (em) => {
      if (await this.repo.deleteSettings(em)) await this.audit.record(em, { actorId: actor.id, action: 'slack.settings.delete', entityType: 'SlackSettings', entityId: 'slack' });
    });
    return this.status();
  }
}
