import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DRAFT_OUTCOMES, type DraftOutcome } from '@hindsight/domain';
import { LanguageFindingType } from '@hindsight/server-settings';

export const PostmortemDraftOutcomeEnum = Object.fromEntries(DRAFT_OUTCOMES.map((o) => [o, o])) as { [K in DraftOutcome]: K };
registerEnumType(PostmortemDraftOutcomeEnum, {
  name: 'PostmortemDraftOutcome',
  description: 'What became of a shown draft: KEPT as written, EDITED (kept after edits) or DISCARDED.',
});

@ObjectType('DraftSentence', { description: 'One proposed sentence and the timeline events it rests on.' })
export class DraftSentenceType {
  @Field() text!: string;
  @Field(() => [ID], { description: "Timeline events of the incident the sentence cites; empty: uncited (the web app marks it). Citations to events that were not sent to the model are dropped." })
  citedEventIds!: string[];
  @Field({ description: 'No citation survived: the sentence rests on nothing in the timeline.' }) uncited!: boolean;
  @Field(() => [LanguageFindingType], { description: 'Blame-laden phrasing the blameless review found in the sentence.' }) findings!: LanguageFindingType[];
}

@ObjectType('PostmortemDraft', { description: 'A model-drafted proposal for one postmortem section; never written to the postmortem by itself.' })
export class PostmortemDraftType {
  @Field(() => ID, { description: 'Send it with recordPostmortemDraftOutcome once the draft is kept, edited or discarded.' }) id!: string;
  @Field() section!: string;
  @Field(() => [DraftSentenceType]) sentences!: DraftSentenceType[];
  @Field({ description: 'The model that wrote it (AI_MODEL).' }) model!: string;
  @Field(() => Int, { description: 'Citations the model made to events it was not sent (dropped).' }) droppedCitations!: number;
}

@ObjectType('PostmortemDrafting', { description: 'Whether model-drafted sections are on (AI_BASE_URL, AI_MODEL) and which sections can be drafted.' })
export class PostmortemDraftingType {
  @Field() enabled!: boolean;
  @Field(() => String, { nullable: true }) model!: string | null;
  @Field(() => [String]) sections!: string[];
  @Field(() => Int, { description: 'Drafts one person may ask for in an hour (AI_DRAFTS_PER_HOUR).' }) draftsPerHour!: number;
}

@ObjectType('DraftAcceptance', { description: 'How shown drafts of one section fared; shares are of the decided ones (null when none is).' })
export class DraftAcceptanceType {
  @Field() section!: string;
  @Field(() => Int) drafted!: number;
  @Field(() => Int) keptAsWritten!: number;
  @Field(() => Int) keptAfterEdits!: number;
  @Field(() => Int) discarded!: number;
  @Field(() => Int, { description: 'Shown, not yet kept or discarded.' }) undecided!: number;
  @Field(() => Float, { nullable: true }) keptAsWrittenShare!: number | null;
  @Field(() => Float, { nullable: true }) keptAfterEditsShare!: number | null;
  @Field(() => Float, { nullable: true }) discardedShare!: number | null;
}

@ObjectType('DraftFailureCount', { description: 'Drafts that could not be shown, by reason (the MODEL_* error code).' })
export class DraftFailureCountType {
  @Field() code!: string;
  @Field(() => Int) count!: number;
}

@ObjectType('PostmortemDraftReport', { description: 'ADMINs: acceptance of model drafts per section, and the failures.' })
export class PostmortemDraftReportType {
  @Field(() => [DraftAcceptanceType]) sections!: DraftAcceptanceType[];
  @Field(() => [DraftFailureCountType]) failures!: DraftFailureCountType[];
}
