import { Args, Float, GraphQLISODateTime, ID, Int, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { daysOverdue, isOverdue, Priority, riceScore } from '@hindsight/domain';
import type { GraphQLResolveInfo } from 'graphql';
import { Authenticated, CurrentActor, GqlEnum, preload, RequestContext, RequireRole, selectedFields, SessionActor, settled } from '@hindsight/server-graphql';
import { IdentityLoaders, TeamType, UserType } from '@hindsight/server-identity';
import { ContributingFactorType, FailedSafeguardType, IncidentLoaders, IncidentType } from '@hindsight/server-incidents';
import { ActionItemsLoaders } from './action-items.loaders';
import { ActionItemsService } from './action-items.service';
import {
  ActionItemConnectionType,
  ActionItemDueChangeType,
  ActionItemFilterInput,
  ActionItemType,
  CreateActionItemInput,
  UpdateActionItemInput,
} from './action-items.types';

// Mutations need at least COMMANDER rank (VIEWERs never edit); the service then applies
// canEditActionItem, which also looks at the owning team.
@Resolver(() => ActionItemType)
export class ActionItemsResolver {
  constructor(
    private readonly items: ActionItemsService,
    private readonly loaders: ActionItemsLoaders,
    private readonly identity: IdentityLoaders,
    private readonly incidents: IncidentLoaders,
  ) {}

  @Authenticated()
  @Query(() => ActionItemType, { nullable: true })
  actionItem(@Args('id', { type: () => ID }) id: string): Promise<ActionItemType | null> {
    return this.items.byId(id);
  }

  @Authenticated()
  @Query(() => ActionItemConnectionType, { description: 'Ordered by due date, then id. `first` is 1–100 (25 when omitted).' })
  actionItems(
    @Args('filter', { type: () => ActionItemFilterInput, nullable: true }) filter?: ActionItemFilterInput | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<ActionItemConnectionType> {
    return this.items.list(filter, first, after);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ActionItemType, { description: 'dueAt defaults from the priority policy when omitted.' })
  createActionItem(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('input') input: CreateActionItemInput,
  ): Promise<ActionItemType> {
    return this.items.create(actor, incidentId, input);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ActionItemType)
  updateActionItem(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateActionItemInput,
    @Args('note', { type: () => String, nullable: true, description: 'Completion note, when input.status is DONE.' }) note?: string | null,
    @Args('verification', { type: () => String, nullable: true, description: 'How we know it works, when input.status is DONE at P0/P1.' }) verification?: string | null,
    @Args('reason', { type: () => String, nullable: true, description: 'Why, when input.status is WONT_DO.' }) reason?: string | null,
  ): Promise<ActionItemType> {
    return this.items.update(actor, id, input, { note, verification, reason });
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ActionItemType, { description: 'Closes the item as DONE; P0/P1 items also need a verification.' })
  completeActionItem(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('note') note: string,
    @Args('verification', { type: () => String, nullable: true }) verification?: string | null,
    @Args('viaDelivery', { type: () => ID, nullable: true, description: "The delivery id from the reminder's link that led here; kept in the audit log." }) viaDelivery?: string | null,
  ): Promise<ActionItemType> {
    return this.items.complete(actor, id, note, verification, viaDelivery ?? null);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ActionItemType, { description: 'Moves the deadline (a past date is allowed); the change is kept with its reason.' })
  changeActionItemDueDate(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('dueAt', { type: () => GraphQLISODateTime }) dueAt: Date,
    @Args('reason') reason: string,
    @Args('viaDelivery', { type: () => ID, nullable: true, description: "The delivery id from the reminder's link that led here; kept in the audit log." }) viaDelivery?: string | null,
  ): Promise<ActionItemType> {
    return this.items.changeDueDate(actor, id, dueAt, reason, viaDelivery ?? null);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ActionItemType, { description: "Pauses reminders for at most 14 days; P0/P1 only by the owning team's manager or an ADMIN." })
  snoozeActionItem(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('until', { type: () => GraphQLISODateTime }) until: Date,
    @Args('reason') reason: string,
    @Args('viaDelivery', { type: () => ID, nullable: true, description: "The delivery id from the reminder's link that led here; kept in the audit log." }) viaDelivery?: string | null,
  ): Promise<ActionItemType> {
    return this.items.snooze(actor, id, until, reason, viaDelivery ?? null);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ActionItemType, { description: 'Commits an idea: an owner team, a priority and a due date (from the priority policy when omitted); from then on it is chased and counted.' })
  commitActionItem(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('ownerTeamId', { type: () => ID }) ownerTeamId: string,
    @Args('priority', { type: () => GqlEnum.Priority }) priority: Priority,
    @Args('dueAt', { type: () => GraphQLISODateTime, nullable: true }) dueAt?: Date | null,
  ): Promise<ActionItemType> {
    return this.items.commit(actor, id, { ownerTeamId, priority, dueAt });
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ActionItemType, { description: 'Drops an idea with a reason (closed as WONT_DO, still shown); a commitment is closed through updateActionItem.' })
  dropActionItemIdea(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('reason') reason: string,
  ): Promise<ActionItemType> {
    return this.items.dropIdea(actor, id, reason);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ActionItemType, { description: "Assigns an unassigned open item to the caller: a member or the manager of the owning team, or an ADMIN." })
  claimActionItem(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('viaDelivery', { type: () => ID, nullable: true, description: "The delivery id from the reminder's link that led here; kept in the audit log." }) viaDelivery?: string | null,
  ): Promise<ActionItemType> {
    return this.items.claim(actor, id, viaDelivery ?? null);
  }

  @Authenticated()
  @ResolveField(() => IncidentType)
  async incident(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<IncidentType> {
    const incident = await this.incidents.incident(ctx).load(item.incidentId);
    if (!incident) throw new Error(`Action item ${item.id} belongs to a missing incident`);
    return incident;
  }

  @Authenticated()
  @ResolveField(() => TeamType)
  ownerTeam(item: ActionItemType, _args: unknown, ctx: RequestContext): TeamType | Promise<TeamType> {
    const teams = this.identity.team(ctx);
    const team = settled(teams, item.ownerTeamId);
    return team !== undefined ? owningTeam(item, team) : teams.load(item.ownerTeamId).then((t) => owningTeam(item, t));
  }

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true })
  assignee(item: ActionItemType, _args: unknown, ctx: RequestContext): UserType | null | Promise<UserType | null> {
    if (!item.assigneeId) return null;
    const users = this.identity.user(ctx);
    return settled(users, item.assigneeId) ?? users.load(item.assigneeId);
  }

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true, description: 'While unassigned: who had the item before (e.g. a deactivated person or one who left the team), for "unassigned (was …)".' })
  previousAssignee(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<UserType | null> {
    return !item.assigneeId && item.previousAssigneeId ? this.identity.user(ctx).load(item.previousAssigneeId) : Promise.resolve(null);
  }

  @Authenticated()
  @ResolveField(() => ContributingFactorType, { nullable: true })
  addressesFactor(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<ContributingFactorType | null> {
    return item.addressesFactorId ? this.incidents.factor(ctx).load(item.addressesFactorId) : Promise.resolve(null);
  }

  @Authenticated()
  @ResolveField(() => FailedSafeguardType, { nullable: true })
  addressesSafeguard(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<FailedSafeguardType | null> {
    return item.addressesSafeguardId ? this.incidents.safeguard(ctx).load(item.addressesSafeguardId) : Promise.resolve(null);
  }

  @Authenticated()
  @ResolveField(() => Boolean, { description: 'Open and past its due date now (a snooze does not hide it).' })
  isOverdue(item: ActionItemType): boolean {
    return isOverdue(item, new Date());
  }

  @Authenticated()
  @ResolveField(() => Int, { description: 'Whole days past the due date; 0 when not overdue.' })
  daysOverdue(item: ActionItemType): number {
    return daysOverdue(item, new Date());
  }

  @Authenticated()
  @ResolveField(() => Float, { nullable: true, description: 'reach × impact × confidence ÷ effort; null while an input is missing.' })
  riceScore(item: ActionItemType): number | null {
    return riceScore(item.reach, item.impact, item.confidence, item.effortDays);
  }

  @Authenticated()
  @ResolveField(() => [ActionItemDueChangeType], { description: 'Every change of dueAt, oldest first.' })
  dueDateChanges(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<ActionItemDueChangeType[]> {
    return this.loaders.dueChangesOfItem(ctx).load(item.id);
  }
}

@Resolver(() => ActionItemDueChangeType)
export class ActionItemDueChangesResolver {
  constructor(private readonly identity: IdentityLoaders) {}

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true })
  changedBy(change: ActionItemDueChangeType, _args: unknown, ctx: RequestContext): Promise<UserType | null> {
    return change.changedById ? this.identity.user(ctx).load(change.changedById) : Promise.resolve(null);
  }
}

function owningTeam(item: ActionItemType, team: TeamType | null): TeamType {
  if (!team) throw new Error(`Action item ${item.id} belongs to a missing team`);
  return team;
}

/** Incident.actionItems lives here: the incidents library does not know action items. */
@Resolver(() => IncidentType)
export class IncidentActionItemsResolver {
  constructor(
    private readonly loaders: ActionItemsLoaders,
    private readonly identity: IdentityLoaders,
  ) {}

  @Authenticated()
  @ResolveField(() => [ActionItemType], { description: 'Soonest due first.' })
  async actionItems(incident: IncidentType, _args: unknown, ctx: RequestContext, info: GraphQLResolveInfo): Promise<ActionItemType[]> {
    const items = await this.loaders.itemsOfIncident(ctx).load(incident.id);
    const fields = selectedFields(info);
    await Promise.all([
      fields.has('ownerTeam') && preload(this.identity.team(ctx), items, (i) => i.ownerTeamId),
      fields.has('assignee') && preload(this.identity.user(ctx), items, (i) => i.assigneeId),
    ]);
    return items;
  }
}
