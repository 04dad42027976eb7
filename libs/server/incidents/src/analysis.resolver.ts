import { Args, ID, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import type { HypothesisStatus } from '@hindsight/domain';
import { Authenticated, CurrentActor, GqlEnum, RequestContext, RequireRole, SessionActor, settled } from '@hindsight/server-graphql';
import { IdentityLoaders, UserType } from '@hindsight/server-identity';
import { AnalysisService } from './analysis.service';
import {
  ContributingFactorInput,
  ContributingFactorType,
  FailedSafeguardInput,
  FailedSafeguardType,
  HypothesisType,
  TimelineEventInput,
  TimelineEventType,
  UpdateContributingFactorInput,
  UpdateFailedSafeguardInput,
  UpdateTimelineEventInput,
} from './analysis.types';

@Resolver(() => TimelineEventType)
export class TimelineEventsResolver {
  constructor(
    private readonly analysis: AnalysisService,
    private readonly identity: IdentityLoaders,
  ) {}

  @RequireRole('COMMANDER')
  @Mutation(() => TimelineEventType)
  addTimelineEvent(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('input') input: TimelineEventInput,
  ): Promise<TimelineEventType> {
    return this.analysis.addTimelineEvent(actor, incidentId, input);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => TimelineEventType, { description: 'Corrects an event; only the fields sent change. The audit log keeps the previous version.' })
  updateTimelineEvent(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateTimelineEventInput,
  ): Promise<TimelineEventType> {
    return this.analysis.updateTimelineEvent(actor, id, input);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ID, { description: 'Removes an event recorded by mistake; returns its id. The audit log keeps it.' })
  deleteTimelineEvent(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<string> {
    return this.analysis.deleteTimelineEvent(actor, id);
  }

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true })
  author(event: TimelineEventType, _args: unknown, ctx: RequestContext): UserType | null | Promise<UserType | null> {
    if (!event.authorId) return null;
    const users = this.identity.user(ctx);
    return settled(users, event.authorId) ?? users.load(event.authorId);
  }
}

@Resolver(() => HypothesisType)
export class HypothesesResolver {
  constructor(
    private readonly analysis: AnalysisService,
    private readonly identity: IdentityLoaders,
  ) {}

  @RequireRole('COMMANDER')
  @Mutation(() => HypothesisType)
  addHypothesis(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('statement') statement: string,
  ): Promise<HypothesisType> {
    return this.analysis.addHypothesis(actor, incidentId, statement);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => HypothesisType, { description: 'OPEN → CONFIRMED or REJECTED, with the evidence for the verdict; a decided hypothesis stays decided.' })
  decideHypothesis(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('status', { type: () => GqlEnum.HypothesisStatus }) status: HypothesisStatus,
    @Args('evidence') evidence: string,
  ): Promise<HypothesisType> {
    return this.analysis.decideHypothesis(actor, id, status, evidence);
  }

  @Authenticated()
  @ResolveField(() => UserType, { nullable: true })
  decidedBy(hypothesis: HypothesisType, _args: unknown, ctx: RequestContext): Promise<UserType | null> {
    return hypothesis.decidedById ? this.identity.user(ctx).load(hypothesis.decidedById) : Promise.resolve(null);
  }
}

@Resolver(() => ContributingFactorType)
export class ContributingFactorsResolver {
  constructor(private readonly analysis: AnalysisService) {}

  @RequireRole('COMMANDER')
  @Mutation(() => ContributingFactorType)
  addContributingFactor(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('input') input: ContributingFactorInput,
  ): Promise<ContributingFactorType> {
    return this.analysis.addContributingFactor(actor, incidentId, input);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ContributingFactorType, { description: 'Corrects a factor; unmark the trigger here before marking another one.' })
  updateContributingFactor(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateContributingFactorInput,
  ): Promise<ContributingFactorType> {
    return this.analysis.updateContributingFactor(actor, id, input);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ID, { description: 'Removes a factor recorded by mistake; refused while action items address it. Returns its id.' })
  deleteContributingFactor(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<string> {
    return this.analysis.deleteContributingFactor(actor, id);
  }
}

@Resolver(() => FailedSafeguardType)
export class FailedSafeguardsResolver {
  constructor(private readonly analysis: AnalysisService) {}

  @RequireRole('COMMANDER')
  @Mutation(() => FailedSafeguardType)
  addFailedSafeguard(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('input') input: FailedSafeguardInput,
  ): Promise<FailedSafeguardType> {
    return this.analysis.addFailedSafeguard(actor, incidentId, input);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => FailedSafeguardType, { description: 'Corrects a safeguard; only the fields sent change.' })
  updateFailedSafeguard(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateFailedSafeguardInput,
  ): Promise<FailedSafeguardType> {
    return this.analysis.updateFailedSafeguard(actor, id, input);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ID, { description: 'Removes a safeguard recorded by mistake; refused while action items address it. Returns its id.' })
  deleteFailedSafeguard(@CurrentActor() actor: SessionActor, @Args('id', { type: () => ID }) id: string): Promise<string> {
    return this.analysis.deleteFailedSafeguard(actor, id);
  }
}
