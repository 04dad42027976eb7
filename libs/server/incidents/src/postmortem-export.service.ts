import { Injectable } from '@nestjs/common';
import { parseReference } from '@hindsight/domain';
import { CatalogService } from '@hindsight/server-catalog';
import { FromReplica, ReplicaReads } from '@hindsight/server-db';
import { UsersService } from '@hindsight/server-identity';
import { AnalysisRepository } from './analysis.repository';
import { IncidentsRepository } from './incidents.repository';
import { postmortemMarkdown } from './postmortem.markdown';
import { PostmortemsRepository } from './postmortems.repository';
import type { RunbookFeedbackPort } from './runbook-feedback.port';

/** Gathers an incident's postmortem and analysis into the Markdown export. */
@Injectable()
export class PostmortemExportService {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly analysis: AnalysisRepository,
    private readonly postmortems: PostmortemsRepository,
    private readonly catalog: CatalogService,
    private readonly users: UsersService,
    readonly reads: ReplicaReads,
  ) {}

  private runbookFeedback: RunbookFeedbackPort | null = null;

  /** Called once by the runbooks module: from then on the export carries the incident's runbook feedback. */
  useRunbookFeedback(port: RunbookFeedbackPort): void {
    this.runbookFeedback = port;
  }

  /** The document for `INC-<n>`, or null when no such incident exists. */
  @FromReplica()
  async markdown(reference: string): Promise<string | null> {
    const n = parseReference(reference);
    const incident = n === null ? null : await this.incidents.incidentByNumber(n);
    if (!incident) return null;
    const [postmortem] = await this.postmortems.postmortemsOfIncidents([incident.id]);
    if (!postmortem) return null;
    const [links, timeline, factors, safeguards, hypotheses, actionItems, runbookFeedback, reviews] = await Promise.all([
      this.incidents.serviceLinks([incident.id]),
      this.analysis.timelinesOf([incident.id]),
      this.analysis.factorsOf([incident.id]),
      this.analysis.safeguardsOf([incident.id]),
      this.analysis.hypothesesOf([incident.id]),
      this.postmortems.actionItemsForExport(incident.id),
      this.runbookFeedback?.feedbackOfIncident(incident.id) ?? [],
      this.postmortems.reviewsOf([postmortem.id]),
    ]);
    const userIds = [...new Set([...(incident.commanderId ? [incident.commanderId] : []), ...reviews.map((r) => r.reviewerId)])];
    const [services, users] = await Promise.all([this.catalog.servicesByIds(links.map((l) => l.serviceId)), this.users.byIds(userIds)]);
    const userName = new Map(users.map((u) => [u.id, u.name]));
    const serviceName = new Map(services.map((s) => [s.id, s.name]));
    return postmortemMarkdown({
      ...incident,
      commander: incident.commanderId ? userName.get(incident.commanderId) ?? null : null,
      services: links.map((l) => serviceName.get(l.serviceId) ?? l.serviceId),
      postmortem,
      timeline,
      factors,
      safeguards,
      hypotheses,
      actionItems,
      runbookFeedback,
      reviews: reviews.map((r) => ({ reviewer: userName.get(r.reviewerId) ?? r.reviewerId, verdict: r.verdict })),
    });
  }
}
