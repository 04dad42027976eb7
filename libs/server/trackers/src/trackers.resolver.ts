import { Args, ID, Int, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { DataSource } from 'typeorm';
import { ActionItemsService, ActionItemType } from '@hindsight/server-action-items';
import { AuditService } from '@hindsight/server-audit';
import { isUuid, notFound } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { Authenticated, Cost, CurrentActor, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { IdentityLoaders, TeamType } from '@hindsight/server-identity';
import { TrackersLoaders } from './trackers.loaders';
import { TrackersQueueProducer } from './trackers-queue.producer';
import { TrackersService } from './trackers.service';
import { TrackerConnectionInput, TrackerConnectionTestType, TrackerConnectionType, TrackerConnectionUpdateInput, TrackerLinkType } from './trackers.types';
import type { LinkRow } from './trackers.repository';

function toLink(l: LinkRow): TrackerLinkType {
  return {
    externalKey: l.externalKey ?? '', url: l.url ?? '', state: l.state, creating: l.externalKey === null, syncedAt: l.syncedAt, lastError: l.lastError,
    awaitingVerification: l.awaitingVerification, closedUpstreamBy: l.closedUpstreamBy, closedUpstreamAt: l.closedUpstreamAt, proposedDueDate: l.proposedDueDate,
    deletedUpstream: l.deletedUpstreamAt !== null, deletedUpstreamAt: l.deletedUpstreamAt, connectionId: l.connectionId,
  };
}

@Resolver(() => TrackerConnectionType)
export class TrackerConnectionsResolver {
  constructor(
    private readonly trackers: TrackersService,
    private readonly producer: TrackersQueueProducer,
    private readonly identity: IdentityLoaders,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Authenticated()
  @Query(() => [TrackerConnectionType], { description: 'Every tracker connection (anyone signed in picks one to link an item). Tokens and secrets are never returned.' })
  trackerConnections(): Promise<TrackerConnectionType[]> {
    return this.trackers.list();
  }

  @RequireRole('ADMIN')
  @Mutation(() => TrackerConnectionType)
  createTrackerConnection(@CurrentActor() actor: SessionActor, @Args('input') input: TrackerConnectionInput): Promise<TrackerConnectionType> {
    return this.trackers.create(actor, input);
  }

  @RequireRole('ADMIN')
  @Mutation(() => TrackerConnectionType, { description: 'Renames it, replaces its token or webhook secret, or turns auto-create on or off; links are kept.' })
  updateTrackerConnection(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: TrackerConnectionUpdateInput,
  ): Promise<TrackerConnectionType> {
    return this.trackers.update(actor, id, input);
  }

  @RequireRole('ADMIN')
  @Mutation(() => Boolean, { description: 'Removes a connection and its links (the issues stay in the tracker).' })
  deleteTrackerConnection(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.trackers.delete(actor, id);
  }

  @RequireRole('ADMIN')
  @Mutation(() => TrackerConnectionTestType, { description: 'Asks the tracker now: OK, or exactly why not. Changes nothing.' })
  @Cost(50)
  testTrackerConnection(@Args('id', { type: () => ID }) id: string): Promise<TrackerConnectionTestType> {
    return this.trackers.test(id);
  }

  @RequireRole('ADMIN')
  @Mutation(() => Boolean, { description: 'Reads every open linked issue of the connection now, besides the schedule.' })
  @Cost(50)
  async syncTrackerNow(@CurrentActor() actor: SessionActor, @Args('connectionId', { type: () => ID }) connectionId: string): Promise<boolean> {
    if (!isUuid(connectionId) || (await this.trackers.list()).every((c) => c.id !== connectionId)) throw notFound('tracker connection', connectionId);
    await this.producer.enqueueReconcile(connectionId, actor.id);
    await this.ds.transaction((em) => this.audit.record(em, { actorId: actor.id, action: 'tracker.sync-now', entityType: 'TrackerConnection', entityId: connectionId }));
    return true;
  }

  @Authenticated()
  @ResolveField(() => TeamType, { nullable: true })
  team(c: TrackerConnectionType, _args: unknown, ctx: RequestContext): Promise<TeamType | null> {
    return c.teamId ? this.identity.team(ctx).load(c.teamId) : Promise.resolve(null);
  }
}

@Resolver(() => ActionItemType)
export class ActionItemTrackerResolver {
  constructor(
    private readonly trackers: TrackersService,
    private readonly items: ActionItemsService,
    private readonly loaders: TrackersLoaders,
  ) {}

  @Authenticated()
  @ResolveField(() => TrackerLinkType, { nullable: true, description: 'The tracker issue this item syncs with.' })
  async trackerLink(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<TrackerLinkType | null> {
    const link = await this.loaders.linkOfItem(ctx).load(item.id);
    return link ? toLink(link) : null;
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ActionItemType, { description: 'Links an existing issue (externalKey) or creates one in the tracker (without it), exactly once.' })
  async linkActionItemToTracker(
    @CurrentActor() actor: SessionActor,
    @Args('actionItemId', { type: () => ID }) actionItemId: string,
    @Args('connectionId', { type: () => ID }) connectionId: string,
    @Args('externalKey', { type: () => String, nullable: true }) externalKey?: string | null,
  ): Promise<ActionItemType> {
    const id = await this.trackers.link(actor, actionItemId, connectionId, externalKey);
    return (await this.items.byId(id)) as ActionItemType;
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ActionItemType, { description: 'Stops syncing; the issue stays in the tracker.' })
  async unlinkActionItemFromTracker(@CurrentActor() actor: SessionActor, @Args('actionItemId', { type: () => ID }) actionItemId: string): Promise<ActionItemType> {
    const id = await this.trackers.unlink(actor, actionItemId);
    return (await this.items.byId(id)) as ActionItemType;
  }

  @RequireRole('COMMANDER')
  @Mutation(() => Int, { description: "Creates an issue for each open, unlinked item of the incident (the connection's team only, if it has one); returns how many." })
  @Cost(100)
  createTrackerIssuesForIncident(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('connectionId', { type: () => ID }) connectionId: string,
  ): Promise<number> {
    return this.trackers.createForIncident(actor, incidentId, connectionId);
  }
}

@Resolver(() => TrackerLinkType)
export class TrackerLinkResolver {
  constructor(
    private readonly trackers: TrackersService,
    private readonly loaders: TrackersLoaders,
  ) {}

  @Authenticated()
  @ResolveField(() => TrackerConnectionType)
  async connection(link: TrackerLinkType, _args: unknown, ctx: RequestContext): Promise<TrackerConnectionType> {
    const c = await this.loaders.connection(ctx).load(link.connectionId);
    if (!c) throw notFound('tracker connection', link.connectionId);
    return this.trackers.toType(c);
  }
}
