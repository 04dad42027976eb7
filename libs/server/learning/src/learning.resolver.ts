import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DEFAULT_SIMILAR, MAX_SIMILAR } from '@hindsight/domain';
import { badInput } from '@hindsight/server-common';
import { Authenticated, Cost, CurrentActor, RequestContext, RequireRole, SessionActor } from '@hindsight/server-graphql';
import { ActionItemType } from '@hindsight/server-action-items';
import { IdentityLoaders, TeamType } from '@hindsight/server-identity';
import { IncidentLoaders, IncidentType, PostmortemType } from '@hindsight/server-incidents';
import { InsightsService, REPORT_SCOPE, ReliabilityFilterInput, ReliabilityReportType } from '@hindsight/server-insights';
import { LearningLoaders } from './learning.loaders';
import { LearningScope } from './learning.repository';
import { LearningService } from './learning.service';
import {
  ChecklistItemType, FixOutcomeType, NamedThemeType, NearMissFiguresType, SimilarIncidentType, TeamChecklistFiguresType, TeamFixesHeldType, ThemeType,
} from './learning.types';

async function incidentOf(loaders: IncidentLoaders, ctx: RequestContext, id: string, what: string): Promise<IncidentType> {
  const incident = await loaders.incident(ctx).load(id);
  if (!incident) throw new Error(`${what} names a missing incident ${id}`);
  return incident;
}

function firstOf(first: number | null | undefined, max: number, fallback: number): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > max) throw badInput('first', `must be 1–${max}`);
  return first;
}

/** The report's scope (its whole filter), for the fields this room adds to it. */
const scopeOf = (report: ReliabilityReportType): LearningScope => report[REPORT_SCOPE] ?? { from: report.from, to: report.to };

@Resolver(() => IncidentType)
export class IncidentLearningResolver {
  constructor(private readonly loaders: LearningLoaders) {}

  @Authenticated()
  // Priced when it took 2–3 s per incident at 200,000 incidents (issue 22 probe). Since the
  // candidates are capped before ranking (LearningRepository.candidates) it takes 0.15–0.4 s there
  // on a busy machine (npm run bench:search); the price stays at the reliability report's until
  // it is measured on a quiet one: one incident's page affords it, a long list of them not.
  @Cost(1000)
  @ResolveField(() => [SimilarIncidentType], {
    description: `Past and later incidents like this one, most similar first (${DEFAULT_SIMILAR} unless \`first\`, at most ${MAX_SIMILAR}): shared services, factor categories, failed-safeguard kinds and text, each with its reasons.`,
  })
  async similar(
    @Parent() incident: IncidentType,
    @Args('first', { type: () => Int, nullable: true }) first: number | null | undefined,
    @Context() ctx: RequestContext,
  ): Promise<SimilarIncidentType[]> {
    const n = firstOf(first, MAX_SIMILAR, DEFAULT_SIMILAR);
    const matches = await this.loaders.similar(ctx).load(incident.id);
    return matches.slice(0, n).map((m) => ({ incidentId: m.id, score: m.score, reasons: m.reasons }));
  }

  @Authenticated()
  @ResolveField(() => [NamedThemeType], { description: 'Hand-named themes tagged on this incident, by name.' })
  namedThemes(incident: IncidentType, _args: unknown, ctx: RequestContext): Promise<NamedThemeType[]> {
    return this.loaders.namedThemes(ctx).load(incident.id);
  }
}

@Resolver(() => SimilarIncidentType)
export class SimilarIncidentResolver {
  constructor(private readonly incidents: IncidentLoaders) {}

  @Authenticated()
  @ResolveField(() => IncidentType)
  incident(match: SimilarIncidentType, _args: unknown, ctx: RequestContext): Promise<IncidentType> {
    return incidentOf(this.incidents, ctx, match.incidentId, 'A similar incident');
  }
}

@Resolver(() => ActionItemType)
export class ActionItemLearningResolver {
  constructor(private readonly loaders: LearningLoaders) {}

  @Authenticated()
  @Cost(10)
  @ResolveField(() => FixOutcomeType, { nullable: true, description: 'For a DONE item that addresses a factor or safeguard: did the fix hold for the fixHoldDays policy (90 days unless an ADMIN changed it)? Null otherwise.' })
  async fixOutcome(item: ActionItemType, _args: unknown, ctx: RequestContext): Promise<FixOutcomeType | null> {
    if (item.status !== 'DONE' || !(item.addressesFactorId || item.addressesSafeguardId)) return null;
    const o = await this.loaders.fixOutcome(ctx).load(item.id);
    return o && { held: o.held, recurredAt: o.recurredAt, daysHeld: o.daysHeld, recurrenceId: o.recurrenceId };
  }
}

@Resolver(() => FixOutcomeType)
export class FixOutcomeResolver {
  constructor(private readonly incidents: IncidentLoaders) {}

  @Authenticated()
  @ResolveField(() => IncidentType, { nullable: true, description: 'The first incident that recurred within the fixHoldDays policy.' })
  recurrence(o: FixOutcomeType, _args: unknown, ctx: RequestContext): Promise<IncidentType | null> {
    return o.recurrenceId ? incidentOf(this.incidents, ctx, o.recurrenceId, 'A fix outcome') : Promise.resolve(null);
  }
}

@Resolver(() => PostmortemType)
export class PostmortemLearningResolver {
  constructor(private readonly loaders: LearningLoaders) {}

  @Authenticated()
  @Cost(10)
  @ResolveField(() => [ChecklistItemType], { description: "The review checklist (the SRE book's), scored on the postmortem as it stands: advice for the reviewers, not a gate." })
  checklist(postmortem: PostmortemType, _args: unknown, ctx: RequestContext): Promise<ChecklistItemType[]> {
    return this.loaders.checklist(ctx).load(postmortem.id);
  }
}

@Resolver(() => ThemeType)
export class ThemeResolver {
  constructor(private readonly incidentLoaders: IncidentLoaders) {}

  @Authenticated()
  @ResolveField(() => [IncidentType], { description: 'The incidents of the period with the theme, oldest first.' })
  async incidents(theme: ThemeType, _args: unknown, ctx: RequestContext): Promise<IncidentType[]> {
    const rows = await this.incidentLoaders.incident(ctx).loadMany(theme.incidentIds);
    return rows.filter((r): r is IncidentType => !!r && !(r instanceof Error));
  }
}

@Resolver(() => ReliabilityReportType)
export class ReportLearningResolver {
  constructor(private readonly learning: LearningService) {}

  @Authenticated()
  @Cost(100)
  @ResolveField(() => NearMissFiguresType, { description: 'Near misses of the same filter, counted apart, and the ratio of near misses reviewed to incidents.' })
  nearMisses(report: ReliabilityReportType): Promise<NearMissFiguresType> {
    return this.learning.nearMisses(scopeOf(report));
  }

  @Authenticated()
  @Cost(200)
  @ResolveField(() => [TeamFixesHeldType], { description: 'Per owning team: done items addressing a factor or safeguard, completed in [from, to), whose fix held for the fixHoldDays policy, with the sample size.' })
  fixesHeld(report: ReliabilityReportType): Promise<TeamFixesHeldType[]> {
    return this.learning.fixesHeld(scopeOf(report));
  }

  @Authenticated()
  @Cost(300)
  @ResolveField(() => [ThemeType], { description: 'What keeps happening: the most frequent themes of the covered incidents (5 unless `first`, at most 50).' })
  async themes(@Parent() report: ReliabilityReportType, @Args('first', { type: () => Int, nullable: true }) first: number | null | undefined): Promise<ThemeType[]> {
    const n = firstOf(first, 50, 5);
    return (await this.learning.themes({ ...scopeOf(report), interval: report.interval })).slice(0, n);
  }

  @Authenticated()
  @Cost(300)
  @ResolveField(() => [TeamChecklistFiguresType], { description: 'Per team: how many postmortems of the covered incidents meet each review-checklist item.' })
  checklistByTeam(report: ReliabilityReportType): Promise<TeamChecklistFiguresType[]> {
    return this.learning.checklistFigures(scopeOf(report));
  }
}

@Resolver(() => TeamFixesHeldType)
export class TeamFixesHeldResolver {
  constructor(private readonly identity: IdentityLoaders) {}

  @Authenticated()
  @ResolveField(() => TeamType)
  async team(f: TeamFixesHeldType, _args: unknown, ctx: RequestContext): Promise<TeamType> {
    const team = await this.identity.team(ctx).load(f.teamId);
    if (!team) throw new Error(`Fixes held name a missing team ${f.teamId}`);
    return team;
  }
}

@Resolver(() => TeamChecklistFiguresType)
export class TeamChecklistFiguresResolver {
  constructor(private readonly identity: IdentityLoaders) {}

  @Authenticated()
  @ResolveField(() => TeamType)
  async team(f: TeamChecklistFiguresType, _args: unknown, ctx: RequestContext): Promise<TeamType> {
    const team = await this.identity.team(ctx).load(f.teamId);
    if (!team) throw new Error(`Checklist figures name a missing team ${f.teamId}`);
    return team;
  }
}

@Resolver()
export class LearningResolver {
  constructor(
    private readonly learning: LearningService,
    private readonly insights: InsightsService,
  ) {}

  @Authenticated()
  @Cost(300)
  @Query(() => [ThemeType], { description: 'Factor categories, failed-safeguard kinds and named themes of the incidents in [from, to) passing the filter (near misses apart), most frequent first, against the previous period of equal length.' })
  async themes(@Args('filter', { type: () => ReliabilityFilterInput }) filter: ReliabilityFilterInput): Promise<ThemeType[]> {
    const scope = await this.insights.scope(filter);
    return this.learning.themes(scope);
  }

  @Authenticated()
  @Cost(20)
  @Query(() => [NamedThemeType], { description: 'Every hand-named theme, by name.' })
  namedThemes(): Promise<NamedThemeType[]> {
    return this.learning.namedThemes();
  }

  @RequireRole('COMMANDER')
  @Mutation(() => NamedThemeType, { description: 'Names a theme (unique, case-insensitive) to tag incidents with.' })
  createTheme(@CurrentActor() actor: SessionActor, @Args('name') name: string): Promise<NamedThemeType> {
    return this.learning.createTheme(actor, name);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => NamedThemeType, { description: 'Tags an incident with a named theme (again: nothing changes).' })
  tagIncidentWithTheme(
    @CurrentActor() actor: SessionActor,
    @Args('themeId', { type: () => ID }) themeId: string,
    @Args('incidentId', { type: () => ID }) incidentId: string,
  ): Promise<NamedThemeType> {
    return this.learning.tag(actor, themeId, incidentId, true);
  }

  @RequireRole('COMMANDER')
  @Mutation(() => NamedThemeType, { description: 'Removes a named theme from an incident (not tagged: nothing changes).' })
  untagIncidentTheme(
    @CurrentActor() actor: SessionActor,
    @Args('themeId', { type: () => ID }) themeId: string,
    @Args('incidentId', { type: () => ID }) incidentId: string,
  ): Promise<NamedThemeType> {
    return this.learning.tag(actor, themeId, incidentId, false);
  }
}
