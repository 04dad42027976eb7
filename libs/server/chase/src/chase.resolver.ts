import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { formatReference, nudgeActions } from '@hindsight/domain';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import type { DataSource } from 'typeorm';
import { ActionItemType } from '@hindsight/server-action-items';
import { AuditRepository } from '@hindsight/server-audit';
import { InjectDataSource } from '@hindsight/server-db';
import { Authenticated, CurrentActor, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { IdentityLoaders, TeamType } from '@hindsight/server-identity';
import { PostmortemType } from '@hindsight/server-incidents';
import { NudgeDeliveryRow } from './chase.repository';
import { ChaseLoaders } from './chase.loaders';
import { ChaseQueueProducer } from './chase-queue.producer';
import { NotificationChannelInput, NotificationChannelType, NudgeActionType, NudgeType } from './chase.types';
import { ChannelsService } from './channels.service';

/** A ledger delivery as the API shows it; shared with the runbooks library (Runbook.nudges). */
export function toNudge(row: NudgeDeliveryRow): NudgeType {
  return {
    id: row.id,
    step: row.step,
    channel: row.kind,
    recipient: row.recipient,
    dueAt: row.dueAt,
    sentAt: row.sentAt ?? row.createdAt,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    subjectKind: row.subjectKind,
    subjectId: row.subjectId,
    incidentReference: row.incidentNumber === null ? null : formatReference(row.incidentNumber),
    unassigned: row.unassigned,
  };
}

@Resolver(() => NotificationChannelType)
export class NotificationChannelsResolver {
  constructor(
    private readonly channels: ChannelsService,
    private readonly identity: IdentityLoaders,
  ) {}

  @RequireRole('ADMIN')
  @Query(() => [NotificationChannelType], { description: 'Every channel, leadership channels first. Secrets are never returned.' })
  notificationChannels(): Promise<NotificationChannelType[]> {
    return this.channels.list();
  }

  @RequireRole('ADMIN')
  @Mutation(() => NotificationChannelType)
  createNotificationChannel(@CurrentActor() actor: SessionActor, @Args('input') input: NotificationChannelInput): Promise<NotificationChannelType> {
    return this.channels.create(actor, input);
  }

  @RequireRole('ADMIN')
  @Mutation(() => Boolean, { description: 'Deletes a channel. Reminders already sent through it stay in the history; unsent ones are skipped.' })
  deleteNotificationChannel(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.channels.delete(actor, id);
  }

  @RequireRole('ADMIN')
  @Mutation(() => Boolean, { description: "Sends a test message through the channel now: true when delivered, else BAD_USER_INPUT on id with the receiver's answer." })
  testNotificationChannel(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.channels.test(actor, id);
  }

  @RequireRole('ADMIN')
  @ResolveField(() => TeamType, { nullable: true, description: 'null: a leadership channel.' })
  team(channel: NotificationChannelType, _args: unknown, ctx: RequestContext): Promise<TeamType | null> {
    return channel.teamId ? this.identity.team(ctx).load(channel.teamId) : Promise.resolve(null);
  }
}

@Resolver()
export class ChaseResolver {
  constructor(
    private readonly producer: ChaseQueueProducer,
    private readonly audit: AuditRepository,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @RequireRole('ADMIN')
  @Mutation(() => Boolean, { description: 'Starts a chase sweep now, besides the schedule. Steps already sent are never sent again.' })
  async runChaseNow(@CurrentActor() actor: SessionActor): Promise<boolean> {
    await this.producer.enqueueSweep(actor.id);
    await this.ds.transaction((em) => this.audit.record(em, { actorId: actor.id, action: 'chase.run-now', entityType: 'Chase', entityId: 'sweep' }));
    return true;
  }
}

@Resolver(() => ActionItemType)
export class ActionItemNudgesResolver {
  constructor(private readonly loaders: ChaseLoaders) {}

  @Authenticated()
  @ResolveField(() => [NudgeType], { description: 'Every reminder or escalation for it (one per recipient), oldest first.' })
  async nudges(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<NudgeType[]> {
    return (await this.loaders.nudgesOf(ctx, 'ACTION_ITEM').load(item.id)).map(toNudge);
  }
}

@Resolver(() => PostmortemType)
export class PostmortemNudgesResolver {
  constructor(private readonly loaders: ChaseLoaders) {}

  @Authenticated()
  @ResolveField(() => [NudgeType], { description: 'Every reminder or escalation for it (one per recipient), oldest first.' })
  async nudges(postmortem: PostmortemType, _args: unknown, ctx: RequestContext): Promise<NudgeType[]> {
    return (await this.loaders.nudgesOf(ctx, 'POSTMORTEM').load(postmortem.id)).map(toNudge);
  }
}

@Resolver(() => NudgeType)
export class NudgeActionsResolver {
  constructor(@Inject(CONFIG) private readonly config: ResolvedConfig) {}

  @Authenticated()
  @ResolveField(() => [NudgeActionType], { description: 'The answers its links offer (CLAIM while the item has nobody assigned), each carrying its delivery id.' })
  actions(nudge: NudgeType): NudgeActionType[] {
    return nudgeActions({
      publicUrl: this.config.publicUrl, subjectKind: nudge.subjectKind, subjectId: nudge.subjectId, incidentReference: nudge.incidentReference, unassigned: nudge.unassigned, deliveryId: nudge.id,
    });
  }
}
