import { Args, GraphQLISODateTime, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { DraftOutcome } from '@hindsight/domain';
import { Authenticated, Cost, CurrentActor, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { DraftsService } from './drafts.service';
import { PostmortemDraftingType, PostmortemDraftOutcomeEnum, PostmortemDraftReportType, PostmortemDraftType } from './drafts.types';

@Resolver(() => PostmortemDraftType)
export class DraftsResolver {
  constructor(private readonly drafts: DraftsService) {}

  @Authenticated()
  @Query(() => PostmortemDraftingType, { description: 'Whether "Draft with AI" is offered (AI_BASE_URL and AI_MODEL are set).' })
  postmortemDrafting(): PostmortemDraftingType {
    return this.drafts.drafting();
  }

  @RequireRole('COMMANDER')
  // Seconds of a model server's time per call: priced like a large report; AI_DRAFTS_PER_HOUR bounds each person too.
  @Cost(2000)
  @Mutation(() => PostmortemDraftType, {
    description:
      'Proposes one postmortem section (summary, impact, triggeringCause, contributingFactors, whatWentWell, whatWentPoorly, whereWeGotLucky, lessons) from the incident record, ' +
      'every sentence citing timeline events; writes nothing to the postmortem. MODEL_NOT_CONFIGURED, MODEL_TIMEOUT, MODEL_BAD_ANSWER, MODEL_REFUSED, MODEL_UNAVAILABLE or RATE_LIMITED when no draft can be shown.',
  })
  draftPostmortemSection(
    @CurrentActor() actor: SessionActor,
    @Args('incidentId', { type: () => ID }) incidentId: string,
    @Args('section') section: string,
  ): Promise<PostmortemDraftType> {
    return this.drafts.draft(actor, incidentId, section);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => ID, { description: 'Records what became of a draft you asked for (once): kept as written, kept after edits, or discarded. Returns its id.' })
  recordPostmortemDraftOutcome(
    @CurrentActor() actor: SessionActor,
    @Args('id', { type: () => ID }) id: string,
    @Args('outcome', { type: () => PostmortemDraftOutcomeEnum }) outcome: DraftOutcome,
  ): Promise<string> {
    return this.drafts.decide(actor, id, outcome);
  }

  @RequireRole('ADMIN')
  @Cost(50)
  @Query(() => PostmortemDraftReportType, { description: 'ADMINs: per section, how model drafts fared (kept as written / after edits / discarded) since `from` (all time when omitted).' })
  postmortemDraftReport(@Args('from', { type: () => GraphQLISODateTime, nullable: true }) from?: Date | null): Promise<PostmortemDraftReportType> {
    return this.drafts.report(from ?? null);
  }
}
