import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('SimilarIncident', { description: 'A past incident like this one, with why it matched; its postmortem\'s action items and their status are on `incident.actionItems`.' })
export class SimilarIncidentType {
  @Field(() => Float, { description: 'Higher is more similar (shared services, factor categories, failed-safeguard kinds, text).' }) score!: number;
  @Field(() => [String], { description: 'Why it matched, e.g. "same service and factor category: checkout-api; certificate or secret".' }) reasons!: string[];
  incidentId!: string;
}

@ObjectType('ThemePoint')
export class ThemePointType {
  @Field(() => GraphQLISODateTime) periodStart!: Date;
  @Field(() => Int) count!: number;
}

@ObjectType('Theme', { description: 'A factor category, failed-safeguard kind or hand-named theme among the incidents of a period (near misses apart), against the previous period of equal length.' })
export class ThemeType {
  @Field({ description: '`category:<CATEGORY>`, `safeguard:<KIND>` or `theme:<id>`.' }) key!: string;
  @Field() label!: string;
  @Field({ description: 'FACTOR_CATEGORY, SAFEGUARD_KIND or NAMED.' }) kind!: string;
  @Field(() => Int, { description: 'Incidents of the period with the theme (each once).' }) count!: number;
  @Field(() => Int) previousCount!: number;
  @Field(() => Float, { description: 'Exact 95 % interval of the count (Poisson), low end.' }) countLow!: number;
  @Field(() => Float, { description: 'Exact 95 % interval of the count (Poisson), high end.' }) countHigh!: number;
  @Field({ description: 'UP, DOWN, SAME (the exact test of "what changed" at α = 0.01), or TOO_FEW below 5 incidents in both periods together.' }) change!: string;
  @Field(() => Float, { nullable: true, description: 'Two-sided p-value of the comparison; null when TOO_FEW.' }) pValue!: number | null;
  @Field(() => [ThemePointType], { description: 'Per period of the range (interval), empty ones included.' }) points!: ThemePointType[];
  incidentIds!: string[];
}

@ObjectType('FixOutcome', { description: 'Did the fix hold? No incident with the same service and factor category (or the same safeguard kind) within the fixHoldDays policy (90 days unless changed) of completion.' })
export class FixOutcomeType {
  @Field(() => Boolean, { nullable: true, description: 'true held, false recurred, null too early to tell (done less than fixHoldDays ago).' }) held!: boolean | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) recurredAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'Days from completion to the recurrence, or to now (at most fixHoldDays).' }) daysHeld!: number | null;
  recurrenceId!: string | null;
}

@ObjectType('ChecklistItem', { description: 'One item of the review checklist (the SRE book\'s), scored on the postmortem as it stands.' })
export class ChecklistItemType {
  @Field() key!: string;
  @Field() label!: string;
  @Field() met!: boolean;
  @Field(() => String, { nullable: true, description: 'What is missing, or what satisfied it.' }) why!: string | null;
}

@ObjectType('NearMissFigures', { description: 'Near misses (no customer impact) of the report\'s filter, counted apart from incidents.' })
export class NearMissFiguresType {
  @Field(() => Int) nearMisses!: number;
  @Field(() => Int, { description: 'Near misses whose postmortem is published.' }) reviewed!: number;
  @Field(() => Int, { description: 'Incidents (not near misses) of the same filter.' }) incidents!: number;
  @Field(() => Float, { nullable: true, description: 'reviewed ÷ incidents; null without incidents.' }) reviewedPerIncident!: number | null;
}

@ObjectType('TeamFixesHeld', { description: 'Done action items of a team that address a factor or safeguard, completed in the range: did the fixes hold for the fixHoldDays policy?' })
export class TeamFixesHeldType {
  @Field(() => Int) held!: number;
  @Field(() => Int) recurred!: number;
  @Field(() => Int, { description: 'Done less than fixHoldDays ago, not recurred yet.' }) tooEarly!: number;
  @Field(() => Int, { description: 'held + recurred.' }) sampleSize!: number;
  @Field(() => Float, { nullable: true, description: 'held ÷ sampleSize; null below 5 items ("too few to tell").' }) heldShare!: number | null;
  teamId!: string;
}

@ObjectType('ChecklistFigure', { description: 'One checklist item over the postmortems of a team\'s covered incidents.' })
export class ChecklistFigureType {
  @Field() key!: string;
  @Field() label!: string;
  @Field(() => Int) met!: number;
}

@ObjectType('TeamChecklistFigures', { description: 'The review checklist over the postmortems of the covered incidents of a team (owning team of an affected service).' })
export class TeamChecklistFiguresType {
  @Field(() => Int) postmortems!: number;
  @Field(() => [ChecklistFigureType]) items!: ChecklistFigureType[];
  teamId!: string;
}

@ObjectType('NamedTheme', { description: 'A theme named by hand and tagged onto incidents.' })
export class NamedThemeType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => Int, { description: 'Incidents tagged with it.' }) incidents!: number;
}
