import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { formatReference, nudgeActions } from '@hindsight/domain';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import type { DataSource } from 'typeorm';
import { ActionItemType } from '@hindsight/server-action-items';
import { AuditService } from '@hindsight/server-audit';
import { InjectDataSource } from '@hindsight/server-db';
import { Authenticated, Cost, CurrentActor, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { IdentityLoaders, TeamType } from '@hindsight/server-identity';
import { PostmortemType } from '@hindsight/server-incidents';
import { NudgeDeliveryRow } from './chase.repository';
import { NO_SMTP_ERROR } from './channels/email/email.channel';
import { ChaseLoaders } from './chase.loaders';
import { ChaseQueueProducer } from './chase-queue.producer';
import { EscalationStepType, NotificationChannelInput, NotificationChannelType, NudgeActionType, NudgeType } from './chase.types';
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
  @Cost(50)
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
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @RequireRole('ADMIN')
  @Mutation(() => Boolean, { description: 'Starts a chase sweep now, besides the schedule. Steps already sent are never sent again.' })
  @Cost(100)
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

  @Authenticated()
  @ResolveField(() => [EscalationStepType], {
    description: 'Every reminder step of the current due date that came due — whom it reached, or that it reached nobody and why — and the next one with its date.',
  })
  escalation(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<EscalationStepType[]> {
    return this.loaders.escalation(ctx, 'ACTION_ITEM').load(item.id);
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

  @Authenticated()
  @ResolveField(() => [EscalationStepType], {
    description: 'Every reminder step of the current due date that came due — whom it reached, or that it reached nobody and why — and the next one with its date.',
  })
  escalation(postmortem: PostmortemType, _args: unknown, ctx: RequestContext): Promise<EscalationStepType[]> {
    return this.loaders.escalation(ctx, 'POSTMORTEM').load(postmortem.id);
  }
}

/** Operator advice ("set SMTP_URL …") is for the people who can act on it: ADMINs. */
@Resolver(() => EscalationStepType)
export class EscalationStepsResolver {
  @Authenticated()
  @ResolveField(() => String, { nullable: true, description: 'ADMINs only (null for others): what an administrator can do about it.' })
  adminHint(step: EscalationStepType, _args: unknown, ctx: RequestContext): string | null {
    return ctx.actor?.role === 'ADMIN' ? step.adminHint : null;
  }

  @Authenticated()
  @ResolveField(() => String, { nullable: true, description: 'ADMINs only: the web app page where it is done.' })
  adminPath(step: EscalationStepType, _args: unknown, ctx: RequestContext): string | null {
    return ctx.actor?.role === 'ADMIN' ? step.adminPath : null;
  }
}

@Resolver(() => NudgeType)
export class NudgeActionsResolver {
  constructor(@Inject(CONFIG) private readonly config: ResolvedConfig) {}

  @Authenticated()
  @ResolveField(() => String, {
    nullable: true,
    description: 'Why the last attempt failed, or why it was skipped. The missing e-mail server is told in plain words, and how to set it up only to ADMINs.',
  })
  lastError(nudge: NudgeType, _args: unknown, ctx: RequestContext): string | null {
    return nudge.lastError === NO_SMTP_ERROR && ctx.actor?.role !== 'ADMIN' ? 'e-mail is not set up on this server' : nudge.lastError;
  }

  @Authenticated()
  @ResolveField(() => [NudgeActionType], { description: 'The answers its links offer (CLAIM while the item has nobody assigned), each carrying its delivery id.' })
  actions(nudge: NudgeType): NudgeActionType[] {
    return nudgeActions({
      publicUrl: this.config.publicUrl, subjectKind: nudge.subjectKind, subjectId: nudge.subjectId, incidentReference: nudge.incidentReference, unassigned: nudge.unassigned, deliveryId: nudge.id,
    });
  }
}
