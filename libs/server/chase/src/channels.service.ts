import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ChannelKind, FieldError, literalTargetRefusal, redactWebhookUrl, validateChannelInput, validateChannelSecret } from '@hindsight/domain';
import { assertValid, badInput, isUuid, notFound, SecretBoxError, unknownId } from '@hindsight/server-common';
import { AuditService } from '@hindsight/server-audit';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { OutboundGuard } from '@hindsight/server-outbound';
import { ChannelSecrets } from './channel-secrets.service';
import { ChannelRegistry } from './channels/channel.registry';
import { ChannelRow, ChaseRepository } from './chase.repository';
import { DeliveryService } from './delivery.service';

export interface NewChannel {
  kind: ChannelKind;
  name: string;
  target: string;
  teamId?: string | null;
  secret?: string | null;
}

@Injectable()
export class ChannelsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ChaseRepository,
    private readonly audit: AuditService,
    private readonly delivery: DeliveryService,
    private readonly outbound: OutboundGuard,
    private readonly secrets: ChannelSecrets,
    private readonly channels: ChannelRegistry,
  ) {}

  list(): Promise<ChannelRow[]> {
    return this.repo.listChannels();
  }

  async create(actor: SessionActor, input: NewChannel): Promise<ChannelRow> {
    const name = input.name.trim();
    const target = input.target.trim();
    const fields = { ...input, name, target };
    const errors = validateChannelInput(fields);
    if (!errors.some((e) => e.field === 'input.kind')) errors.push(...validateChannelSecret(input.kind, input.secret));
    errors.push(...this.insideTheNetwork(fields));
    assertValid(errors);
    const teamId = input.teamId ?? null;
    // A Slack incoming-webhook URL or a Teams workflow URL is itself the credential: it is kept
    // sealed like a WEBHOOK channel's HMAC key, and the channel shows it redacted (…/T0/B0/****) everywhere.
    const credential = this.channels.of(input.kind).credential;
    const secret = credential === 'SIGNING_KEY' ? this.sealed('input.secret', input.secret ?? null) : credential === 'URL' ? this.sealed('input.target', target) : null;
    const shown = credential === 'URL' ? redactWebhookUrl(target) : target;
    if (teamId !== null && !isUuid(teamId)) throw unknownId('team', teamId, 'input.teamId');
    return this.ds.transaction(async (em) => {
      if (teamId !== null && !(await this.repo.teamExists(em, teamId))) throw unknownId('team', teamId, 'input.teamId');
      const channel = await this.repo.insertChannel(em, { kind: input.kind, name, target: shown, secret, teamId, createdBy: actor.id });
      if (!channel) throw new Error('insert returned no channel');
      // The audit keeps that a secret was set, never its value.
      await this.audit.record(em, { actorId: actor.id, action: 'notification-channel.create', entityType: 'NotificationChannel', entityId: channel.id, after: { ...channel, secret: secret === null ? null : '(set)' } });
      return channel;
    });
  }

  /** A secret as stored: encrypted with HINDSIGHT_ENCRYPTION_KEY (without it, refused on `field`). */
  private sealed(field: string, secret: string | null): string | null {
    if (secret === null) return null;
    try {
      return this.secrets.seal(secret);
    } catch (e) {
      if (e instanceof SecretBoxError) throw badInput(field, `cannot be stored: ${e.message}`);
      throw e;
    }
  }

  /**
   * A URL whose host is a private address literal or localhost is refused when saved; a name
   * is checked each time it is sent to, on what it resolves to then. (An EMAIL target is no URL.)
   */
  private insideTheNetwork(c: NewChannel): FieldError[] {
    let host: string;
    try {
      host = new URL(c.target).hostname;
    } catch {
      return [];
    }
    const why = literalTargetRefusal(this.outbound.policy, host);
    return why ? [{ field: 'input.target', reason: why }] : [];
  }

  /** Deletes a channel; its delivery history stays readable and unsent messages to it are skipped. Audited. */
  async delete(actor: SessionActor, id: string): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const before = isUuid(id) ? await this.repo.lockChannel(em, id) : null;
      if (!before) throw notFound('notification channel', id);
      const skippedDeliveries = await this.repo.deleteChannel(em, id);
      await this.audit.record(em, { actorId: actor.id, action: 'notification-channel.delete', entityType: 'NotificationChannel', entityId: id, before, after: { skippedDeliveries } });
      return true;
    });
  }

  /**
   * Sends a test message through the channel now. true when the receiver accepted it; when it
   * did not, BAD_USER_INPUT on `id` with the reason (the channel's settings are what to fix).
   * Audited either way.
   */
  async test(actor: SessionActor, id: string): Promise<boolean> {
    const channel = isUuid(id) ? await this.repo.channelWithSecret(id) : null;
    if (!channel) throw notFound('notification channel', id);
    let error: string | null = null;
    try {
      await this.delivery.sendTest(channel);
    } catch (e) {
      error = (e as Error).message;
    }
    await this.ds.transaction((em) =>
      this.audit.record(em, { actorId: actor.id, action: 'notification-channel.test', entityType: 'NotificationChannel', entityId: id, after: { delivered: error === null, error } }),
    );
    if (error !== null) throw badInput('id', `the test message to "${channel.name}" was not delivered: ${error}`);
    return true;
  }
}
