import { Args, GraphQLISODateTime, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { TimelineEventKind } from '@hindsight/domain';
import { Authenticated, Cost, CurrentActor, GqlEnum, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { IncidentsService, IncidentType, TimelineEventType } from '@hindsight/server-incidents';
import { SlackImportService } from './slack-import.service';
import { SlackImportProposalType } from './slack.types';

/** Incident.slackChannel, and building the timeline from the channel. */
@Resolver(() => IncidentType)
export class SlackImportResolver {
  constructor(
    private readonly imports: SlackImportService,
    private readonly incidents: IncidentsService,
  ) {}

  @Authenticated()
  @ResolveField(() => String, { nullable: true, description: "The incident's Slack channel (its id), whose history importSlackChannel reads." })
  async slackChannel(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<string | null> {
    const loader = ctx.loaders.batch('slack.channelOfIncident', async (ids: readonly string[]) => {
      const rows = await this.imports.channelsOf(ids);
      const byId = new Map(rows.map((r) => [r.incidentId, r.channelId]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    return loader.load(incident.id);
  }

  @Authenticated()
  @ResolveField(() => Boolean, {
    description: 'Whether messages imported from its Slack channel wait for a commander to keep or drop them (slackImportProposals lists them); always false below COMMANDER.',
  })
  async slackImportWaiting(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<boolean> {
    if (!ctx.actor || ctx.actor.role === 'VIEWER') return false;
    const loader = ctx.loaders.batch('slack.importWaiting', async (ids: readonly string[]) => {
      const waiting = await this.imports.waiting(ids);
      return ids.map((id) => waiting.has(id));
    });
    return loader.load(incident.id);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => IncidentType, { description: "Names the incident's Slack channel (its id or a link to it; checked with Slack, where the app must be a member); null forgets it." })
  @Cost(20)
  async setIncidentSlackChannel(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('channel', { type: () => String, nullable: true }) channel: string | null,
  ): Promise<IncidentType> {
    await this.imports.setChannel(actor, incidentId, channel ?? null);
    const incident = await this.incidents.byId(incidentId);
    if (!incident) throw new Error(`incident ${incidentId} vanished`);
    return incident;
  }

  @RequireRole('COMMANDER')
  @Mutation(() => [SlackImportProposalType], {
    description: "Reads the incident's Slack channel since the last import (cursor paging, Slack's rate limits waited out) and returns every message still waiting for a commander's keep, edit or drop.",
  })
  // Up to 100 history pages of 200 messages and a users.info per author: the most expensive call a person can make here.
  @Cost(2000)
  importSlackChannel(@CurrentActor() actor: SessionActor, @Args('incidentId', { type: () => ID }) incidentId: string): Promise<SlackImportProposalType[]> {
    return this.imports.importChannel(actor, incidentId);
  }

  @RequireRole('COMMANDER')
  @Query(() => [SlackImportProposalType], { description: 'Messages imported from the incident\'s Slack channel that no commander has kept or dropped yet.' })
  @Cost(20)
  slackImportProposals(@Args('incidentId', { type: () => ID }) incidentId: string): Promise<SlackImportProposalType[]> {
    return this.imports.pending(incidentId);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => TimelineEventType, { description: "Keeps an imported message as a timeline event: the commander's kind and words (the message's text unless edited), its time unless changed, its permalink as evidence." })
  keepSlackImportProposal(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('ts') ts: string,
    @Args('kind', { type: () => GqlEnum.TimelineEventKind }) kind: TimelineEventKind,
    @Args('description', { type: () => String, nullable: true }) description?: string | null,
    @Args('occurredAt', { type: () => GraphQLISODateTime, nullable: true }) occurredAt?: Date | null,
  ): Promise<TimelineEventType> {
    return this.imports.keep(actor, incidentId, ts, { kind, description, occurredAt });
  }

  @RequireRole('COMMANDER')
  @Mutation(() => Boolean, { description: 'Drops an imported message: it is not proposed again.' })
  dropSlackImportProposal(@CurrentActor() actor: SessionActor, @Args('incidentId', { type: () => ID }) incidentId: string, @Args('ts') ts: string): Promise<boolean> {
    return this.imports.drop(actor, incidentId, ts);
  }
}
