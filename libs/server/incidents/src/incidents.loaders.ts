import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { FactorCategory, isRepeat, MS_PER_HOUR, MS_PER_DAY, Policies, REPEAT_WINDOW_DAYS } from '@hindsight/domain';
import { groupBy, indexBy, RequestContext } from '@hindsight/server-graphql';
import { PoliciesService } from '@hindsight/server-settings';
import { AnalysisRepository, ContributingFactorRow, FailedSafeguardRow, HypothesisRow, TimelineEventRow } from './analysis.repository';
import { IncidentRow, IncidentServiceLink, IncidentsRepository } from './incidents.repository';
import { PostmortemCommentRow, PostmortemCommentsRepository } from './postmortem-comments.repository';
import { PostmortemRow, PostmortemsRepository, ReviewRow, RevisionRow } from './postmortems.repository';

/**
 * Per-request batch loaders for incidents and everything hanging off them, so a page of
 * incidents costs a fixed number of statements whatever its length. Other features (action
 * items) use `incident`, `factor` and `safeguard` for their own fields.
 */
@Injectable()
export class IncidentLoaders {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly analysis: AnalysisRepository,
    private readonly postmortems: PostmortemsRepository,
    private readonly commentRows: PostmortemCommentsRepository,
    private readonly policiesService: PoliciesService,
  ) {}

  incident(ctx: RequestContext): DataLoader<string, IncidentRow | null> {
    return ctx.loaders.batch('incidents.incident', async (ids: readonly string[]) => indexBy(ids, await this.incidents.incidentsByIds(ids), (i) => i.id));
  }

  serviceLinks(ctx: RequestContext): DataLoader<string, IncidentServiceLink[]> {
    return ctx.loaders.batch('incidents.serviceLinks', async (ids: readonly string[]) => groupBy(ids, await this.incidents.serviceLinks(ids), (l) => l.incidentId));
  }

  timeline(ctx: RequestContext): DataLoader<string, TimelineEventRow[]> {
    return ctx.loaders.batch('incidents.timeline', async (ids: readonly string[]) => groupBy(ids, await this.analysis.timelinesOf(ids), (e) => e.incidentId));
  }

  hypotheses(ctx: RequestContext): DataLoader<string, HypothesisRow[]> {
    return ctx.loaders.batch('incidents.hypotheses', async (ids: readonly string[]) => groupBy(ids, await this.analysis.hypothesesOf(ids), (h) => h.incidentId));
  }

  factors(ctx: RequestContext): DataLoader<string, ContributingFactorRow[]> {
    return ctx.loaders.batch('incidents.factors', async (ids: readonly string[]) => groupBy(ids, await this.analysis.factorsOf(ids), (f) => f.incidentId));
  }

  safeguards(ctx: RequestContext): DataLoader<string, FailedSafeguardRow[]> {
    return ctx.loaders.batch('incidents.safeguards', async (ids: readonly string[]) => groupBy(ids, await this.analysis.safeguardsOf(ids), (g) => g.incidentId));
  }

  /** A contributing factor by its id (ActionItem.addressesFactor). */
  factor(ctx: RequestContext): DataLoader<string, ContributingFactorRow | null> {
    return ctx.loaders.batch('incidents.factor', async (ids: readonly string[]) => indexBy(ids, await this.analysis.factorsByIds(ids), (f) => f.id));
  }

  /** A failed safeguard by its id (ActionItem.addressesSafeguard). */
  safeguard(ctx: RequestContext): DataLoader<string, FailedSafeguardRow | null> {
    return ctx.loaders.batch('incidents.safeguard', async (ids: readonly string[]) => indexBy(ids, await this.analysis.safeguardsByIds(ids), (g) => g.id));
  }

  /** The postmortem of each incident. */
  postmortem(ctx: RequestContext): DataLoader<string, PostmortemRow | null> {
    return ctx.loaders.batch('incidents.postmortem', async (ids: readonly string[]) => indexBy(ids, await this.postmortems.postmortemsOfIncidents(ids), (p) => p.incidentId));
  }

  reviews(ctx: RequestContext): DataLoader<string, ReviewRow[]> {
    return ctx.loaders.batch('incidents.reviews', async (ids: readonly string[]) => groupBy(ids, await this.postmortems.reviewsOf(ids), (r) => r.postmortemId));
  }

  revisions(ctx: RequestContext): DataLoader<string, RevisionRow[]> {
    return ctx.loaders.batch('incidents.revisions', async (ids: readonly string[]) => groupBy(ids, await this.postmortems.revisionsOf(ids), (r) => r.postmortemId));
  }

  /** Review comments of each postmortem, oldest first. */
  comments(ctx: RequestContext): DataLoader<string, PostmortemCommentRow[]> {
    return ctx.loaders.batch('incidents.comments', async (ids: readonly string[]) => groupBy(ids, await this.commentRows.commentsOf(ids), (c) => c.postmortemId));
  }

  /** PRODUCT.md 5 repeat incidents: SQL narrows the candidates, the domain rule decides. */
  isRepeat(ctx: RequestContext): DataLoader<string, boolean> {
    return ctx.loaders.batch('incidents.isRepeat', async (ids: readonly string[]) => {
        // An hour of slack around the window: the rule's exact boundary is the domain's call.
        const windowHours = (REPEAT_WINDOW_DAYS * MS_PER_DAY) / MS_PER_HOUR + 1;
        const rows = await this.incidents.repeatCandidates(ids, windowHours);
        const bySubject = groupBy(ids, rows, (r) => r.subjectId);
        return ids.map((id, i) => {
          const candidates = bySubject[i].map((r) => ({ ...r, factorCategories: r.factorCategories as FactorCategory[] }));
          const self = candidates.find((c) => c.id === id);
          return self ? isRepeat(self, candidates.filter((c) => c.id !== id)) : false;
        });
      });
  }

  /** The policies in force, read once per request (hourly responder rate for cost). */
  policies(ctx: RequestContext): Promise<Policies> {
    return ctx.loaders.batch('incidents.policies', async (keys: readonly string[]) => {
      const current = await this.policiesService.current();
      return keys.map(() => current);
    }).load('current');
  }
}
