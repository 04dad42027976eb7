import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CHECKLIST_LABELS, checkName, ChecklistEntry, fixesHeldByTeam, fixOutcome, FixOutcome, MAX_SIMILAR, previousRange, rankSimilar,
  reviewChecklist, SimilarityMatch, TeamFixesHeld, ThemeFigure, themes, TrendInterval,
} from '@hindsight/domain';
import { AuditService } from '@hindsight/server-audit';
import { assertValid, badInput, conflict, isUuid, notFound, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { PoliciesService } from '@hindsight/server-settings';
import { LearningRepository, LearningScope, NamedThemeRow, NearMissRow } from './learning.repository';

/** Learning across incidents (issue 26): similar incidents, themes, fixes that held, near misses, the review checklist. */
@Injectable()
export class LearningService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: LearningRepository,
    private readonly audit: AuditService,
    private readonly policies: PoliciesService,
  ) {}

  /**
   * The MAX_SIMILAR most similar incidents to each subject, best first (the caller takes its
   * `first`). `serviceNames` names services in the reasons.
   */
  async similar(subjectIds: readonly string[], serviceNames: (ids: string[]) => Promise<Map<string, string>>): Promise<SimilarityMatch[][]> {
    if (subjectIds.length === 0) return [];
    const [profiles, candidates] = await Promise.all([this.repo.profiles(subjectIds), this.repo.candidates(subjectIds)]);
    const names = await serviceNames([...new Set([...profiles, ...candidates].flatMap((p) => p.serviceIds))]);
    const name = (id: string): string => names.get(id) ?? id;
    return subjectIds.map((id) => {
      const subject = profiles.find((p) => p.id === id);
      if (!subject) return [];
      return rankSimilar(subject, candidates.filter((c) => c.subjectId === id), MAX_SIMILAR, name).map(({ startedAt: _s, ...m }) => m);
    });
  }

  /** The outcome of each item (null: not a done item addressing a factor or safeguard), over the fixHoldDays policy. */
  async fixOutcomes(itemIds: readonly string[], now = new Date()): Promise<(FixOutcome | null)[]> {
    const [items, { fixHoldDays }] = await Promise.all([this.repo.fixedItems(itemIds.filter(isUuid)), this.policies.current()]);
    const later = await this.repo.laterIncidents(items, fixHoldDays);
    const byItem = new Map(items.map((i) => [i.id, fixOutcome(i, later.filter((l) => l.itemId === i.id), now, fixHoldDays)]));
    return itemIds.map((id) => byItem.get(id) ?? null);
  }

  /** Per owning team, whether the fixes done in [from, to) held (PRODUCT.md 5), teams by most items first. */
  async fixesHeld(scope: LearningScope, now = new Date()): Promise<TeamFixesHeld[]> {
    const [items, { fixHoldDays }] = await Promise.all([this.repo.fixedItemsIn(scope), this.policies.current()]);
    const later = await this.repo.laterIncidents(items, fixHoldDays);
    const outcomes = items.map((i) => fixOutcome(i, later.filter((l) => l.itemId === i.id), now, fixHoldDays));
    return fixesHeldByTeam(items, outcomes).sort((a, b) => b.held + b.recurred + b.tooEarly - (a.held + a.recurred + a.tooEarly) || (a.teamId < b.teamId ? -1 : 1));
  }

  /** Themes of [from, to) against the previous period of equal length (previousRange, as the review). */
  async themes(scope: LearningScope & { interval: TrendInterval }): Promise<ThemeFigure[]> {
    const prev = previousRange(scope.from, scope.to);
    const [current, previous] = await Promise.all([this.repo.themeIncidents(scope, scope), this.repo.themeIncidents(scope, prev)]);
    const ratio = (prev.to.getTime() - prev.from.getTime()) / (scope.to.getTime() - scope.from.getTime());
    return themes({ from: scope.from, to: scope.to, interval: scope.interval, incidents: current, previous, previousExposureRatio: ratio });
  }

  async nearMisses(scope: LearningScope): Promise<NearMissRow & { reviewedPerIncident: number | null }> {
    const r = await this.repo.nearMisses(scope);
    return { ...r, reviewedPerIncident: r.incidents === 0 ? null : r.reviewed / r.incidents };
  }

  async checklists(postmortemIds: readonly string[]): Promise<ChecklistEntry[][]> {
    const rows = await this.repo.checklists(postmortemIds.filter(isUuid));
    const byId = new Map(rows.map((r) => [r.postmortemId, reviewChecklist(r)]));
    return postmortemIds.map((id) => byId.get(id) ?? []);
  }

  /** Per team, how many of the postmortems of its covered incidents meet each checklist item. */
  async checklistFigures(scope: LearningScope): Promise<{ teamId: string; postmortems: number; items: { key: string; label: string; met: number }[] }[]> {
    const pms = await this.repo.postmortemsInScope(scope);
    const lists = await this.checklists(pms.map((p) => p.postmortemId));
    const keys = Object.keys(CHECKLIST_LABELS) as (keyof typeof CHECKLIST_LABELS)[];
    const teams = new Map<string, { postmortems: number; met: Record<string, number> }>();
    pms.forEach((p, k) => {
      for (const teamId of p.teamIds) {
        const t = teams.get(teamId) ?? { postmortems: 0, met: Object.fromEntries(keys.map((key) => [key, 0])) };
        t.postmortems++;
        for (const e of lists[k]) if (e.met) t.met[e.key]++;
        teams.set(teamId, t);
      }
    });
    return [...teams]
      .map(([teamId, t]) => ({ teamId, postmortems: t.postmortems, items: keys.map((key) => ({ key, label: CHECKLIST_LABELS[key], met: t.met[key] })) }))
      .sort((a, b) => b.postmortems - a.postmortems || (a.teamId < b.teamId ? -1 : 1));
  }

  namedThemes(): Promise<NamedThemeRow[]> {
    return this.repo.namedThemes();
  }

  async themesOfIncidents(incidentIds: readonly string[]): Promise<NamedThemeRow[][]> {
    const rows = await this.repo.themesOfIncidents(incidentIds);
    return incidentIds.map((id) => rows.filter((r) => r.incidentId === id));
  }

  /** Names a theme (unique, case-insensitive, trimmed). */
  async createTheme(actor: SessionActor, name: string): Promise<NamedThemeRow> {
    assertValid([checkName('name', name)].filter((e) => e !== null));
    return this.ds.transaction(async (em) => {
      const row = await this.repo.createTheme(em, name.trim(), actor.id);
      if (!row) throw conflict(`A theme named "${name.trim()}" exists already.`, { field: 'name' });
      await this.audit.record(em, { actorId: actor.id, action: 'theme.create', entityType: 'Theme', entityId: row.id, after: row });
      return row;
    });
  }

  /** Tags an incident with a named theme (on) or removes the tag; idempotent. */
  async tag(actor: SessionActor, themeId: string, incidentId: string, on: boolean): Promise<NamedThemeRow> {
    return this.ds.transaction(async (em) => {
      if (!isUuid(themeId)) throw notFound('theme', themeId);
      const theme = await this.repo.themeById(em, themeId);
      if (!theme) throw notFound('theme', themeId);
      if (!isUuid(incidentId) || !(await this.repo.incidentExists(em, incidentId))) throw unknownId('incident', incidentId, 'incidentId');
      const changed = await this.repo.setTag(em, themeId, incidentId, on, actor.id);
      if (changed) {
        await this.audit.record(em, { actorId: actor.id, action: on ? 'theme.tag' : 'theme.untag', entityType: 'Theme', entityId: themeId, after: { incidentId } });
      }
      const after = await this.repo.themeById(em, themeId);
      if (!after) throw badInput('themeId', 'the theme was deleted meanwhile');
      return after;
    });
  }
}
