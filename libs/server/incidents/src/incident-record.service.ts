import { Injectable } from '@nestjs/common';
import { CatalogService } from '@hindsight/server-catalog';
import { isUuid } from '@hindsight/server-common';
import { ContributingFactorRow, FailedSafeguardRow, HypothesisRow, TimelineEventRow } from './analysis.repository';
import { AnalysisRepository } from './analysis.repository';
import { IncidentRow, IncidentsRepository } from './incidents.repository';
import { PostmortemRow, PostmortemsRepository } from './postmortems.repository';

/** An incident with its analysis and postmortem, as anyone signed in reads it. */
export interface IncidentRecord {
  incident: IncidentRow;
  services: { id: string; name: string }[];
  timeline: TimelineEventRow[];
  hypotheses: HypothesisRow[];
  factors: ContributingFactorRow[];
  safeguards: FailedSafeguardRow[];
  postmortem: PostmortemRow | null;
}

/**
 * The whole record of one incident for other rooms that read it at once (the model drafts,
 * the MCP server): a handful of statements, no per-row look-ups.
 */
@Injectable()
export class IncidentRecordService {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly analysis: AnalysisRepository,
    private readonly postmortems: PostmortemsRepository,
    private readonly catalog: CatalogService,
  ) {}

  /** Null when there is no such incident (or the id is not one). */
  async record(incidentId: string): Promise<IncidentRecord | null> {
    if (!isUuid(incidentId)) return null;
    const [incident] = await this.incidents.incidentsByIds([incidentId]);
    if (!incident) return null;
    const ids = [incident.id];
    const [links, timeline, hypotheses, factors, safeguards, postmortems] = await Promise.all([
      this.incidents.serviceLinks(ids),
      this.analysis.timelinesOf(ids),
      this.analysis.hypothesesOf(ids),
      this.analysis.factorsOf(ids),
      this.analysis.safeguardsOf(ids),
      this.postmortems.postmortemsOfIncidents(ids),
    ]);
    const services = await this.catalog.servicesByIds(links.map((l) => l.serviceId));
    return { incident, services: services.map((s) => ({ id: s.id, name: s.name })), timeline, hypotheses, factors, safeguards, postmortem: postmortems[0] ?? null };
  }
}
