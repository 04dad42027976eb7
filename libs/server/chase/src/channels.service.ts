import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ChannelKind, validateChannelInput, validateChannelSecret } from '@hindsight/domain';
import { assertValid, isUuid, notFound, unknownId } from '@hindsight/server-common';
import { AuditRepository } from '@hindsight/server-audit';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { ChannelRow, ChaseRepository } from './chase.repository';

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
    private readonly audit: AuditRepository,
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
    assertValid(errors);
    const teamId = input.teamId ?? null;
    if (teamId !== null && !isUuid(teamId)) throw unknownId('team', teamId, 'input.teamId');
    return this.ds.transaction(async (em) => {
      if (teamId !== null && !(await this.repo.teamExists(em, teamId))) throw unknownId('team', teamId, 'input.teamId');
      const channel = await this.repo.insertChannel(em, { kind: input.kind, name, target, secret: input.kind === 'WEBHOOK' ? (input.secret ?? null) : null, teamId, createdBy: actor.id });
      if (!channel) throw new Error('insert returned no channel');
      // The audit keeps that a secret was set, never its value.
      await this.audit.record(em, { actorId: actor.id, action: 'notification-channel.create', entityType: 'NotificationChannel', entityId: channel.id, after: { ...channel, secret: input.kind === 'WEBHOOK' ? '(set)' : null } });
      return channel;
    });
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
}
