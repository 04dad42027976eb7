import { Inject, Injectable, Logger } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ACTION_KINDS, formatReference, hasAtLeast, PRIORITIES, TIMELINE_EVENT_KINDS } from '@hindsight/domain';
import { ActionItemsService } from '@hindsight/server-action-items';
import { AuthService, TeamsService } from '@hindsight/server-identity';
import { AnalysisService, IncidentRow, IncidentsService, PostmortemExportService } from '@hindsight/server-incidents';
import { AppError, isUuid } from '@hindsight/server-common';
import { CONFIG, type ResolvedConfig } from '@hindsight/server-config';
import type { SessionActor } from '@hindsight/server-graphql';
import { CatalogService } from '@hindsight/server-catalog';
import { LearningService } from '@hindsight/server-learning';
import { SearchService } from '@hindsight/server-search';
import { WorkQueueService } from '@hindsight/server-work';

/** The version of Hindsight's MCP server (its tools' names and shapes). */
export const MCP_SERVER_VERSION = '1.0.0';

/** The tools (docs/mcp.md). */
export const MCP_TOOLS = ['search_incidents', 'read_postmortem', 'list_my_work', 'find_similar_incidents', 'add_timeline_event', 'propose_action_item'] as const;
export type McpToolName = (typeof MCP_TOOLS)[number];

/** A request to a tool: who is calling, with which Authorization header (write tools re-check its scope). */
export interface McpCaller {
  actor: SessionActor;
  authorization: string | undefined;
  requestId: string;
}

class ToolRefusal extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const text = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] });
const refusal = (code: string, message: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text: `${code}: ${message}` }] });

const incidentArg = z.string().min(1).max(100).describe('The incident: its reference (INC-42) or its id.');
const isoDate = z.string().datetime({ offset: true }).describe('An ISO 8601 date and time, e.g. 2026-11-03T10:05:00Z.');

/**
 * The MCP server's tools (docs/mcp.md). Each one acts as the caller, through the service of the
 * room that owns what it reads or writes, so the same rules, validation and audit apply as in
 * the web app and GraphQL; a write needs COMMANDER or above and a token that may write.
 */
@Injectable()
export class McpTools {
  private readonly log = new Logger('McpTools');

  constructor(
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly auth: AuthService,
    private readonly search: SearchService,
    private readonly incidents: IncidentsService,
    private readonly exports: PostmortemExportService,
    private readonly analysis: AnalysisService,
    private readonly actionItems: ActionItemsService,
    private readonly teams: TeamsService,
    private readonly work: WorkQueueService,
    private readonly learning: LearningService,
    private readonly catalog: CatalogService,
  ) {}

  /** A server for one request (stateless streamable HTTP): its tools close over the caller. */
  serverFor(caller: McpCaller): McpServer {
    const server = new McpServer({ name: 'hindsight', version: MCP_SERVER_VERSION }, { capabilities: { tools: {} } });
    const run = (name: McpToolName, write: boolean, work: () => Promise<CallToolResult>) => this.run(caller, name, write, work);

    server.registerTool('search_incidents', {
      title: 'Search incidents',
      description: 'Full-text search over incidents, postmortems, action items, runbooks and services (every word must match; INC-<n> finds that incident). Returns hits with their kind, id, title and web link.',
      inputSchema: { query: z.string().min(1).max(200), first: z.number().int().min(1).max(50).optional().describe('How many hits, 1–50 (10 when omitted).') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    }, ({ query, first }) => run('search_incidents', false, async () => {
      const hits = await this.search.search(query, first ?? null);
      return text(hits.map((h) => ({ ...h, url: `${this.config.publicUrl}${h.url}` })));
    }));

    server.registerTool('read_postmortem', {
      title: 'Read a postmortem',
      description: "An incident's postmortem as Markdown: the incident's facts, timeline, triggering cause, contributing factors, failed safeguards, the sections and the action items.",
      inputSchema: { incident: incidentArg },
      annotations: { readOnlyHint: true, openWorldHint: false },
    }, ({ incident }) => run('read_postmortem', false, async () => {
      const row = await this.incident(incident);
      const markdown = await this.exports.markdown(row.reference);
      if (markdown === null) throw new ToolRefusal('NOT_FOUND', `${row.reference} has no postmortem yet.`);
      return text(markdown);
    }));

    server.registerTool('list_my_work', {
      title: 'What needs me',
      description: "What needs the caller now, most urgent first (the home page's queue): overdue and escalated action items, extension requests to decide, postmortems to write or review, open incidents they command.",
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    }, () => run('list_my_work', false, async () => {
      const entries = await this.work.queueFor(caller.actor, caller.requestId);
      return text(entries.map((e) => ({
        kind: e.kind, urgency: e.urgency, reason: e.reason, dueAt: e.dueAt?.toISOString() ?? null,
        actionItem: e.actionItemRow ? { id: e.actionItemRow.id, title: e.actionItemRow.title, priority: e.actionItemRow.priority, status: e.actionItemRow.status } : null,
        incident: e.incidentRow ? { id: e.incidentRow.id, reference: e.incidentRow.reference, title: e.incidentRow.title } : null,
        postmortem: e.postmortemRow ? { status: e.postmortemRow.status } : null,
        answers: e.answers.map((a) => a.kind),
      })));
    }));

    server.registerTool('find_similar_incidents', {
      title: 'Find similar incidents',
      description: 'Incidents like this one, most similar first: shared services, contributing-factor categories, failed-safeguard kinds and text, each with why it matched.',
      inputSchema: { incident: incidentArg, first: z.number().int().min(1).max(20).optional().describe('How many, 1–20 (5 when omitted).') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    }, ({ incident, first }) => run('find_similar_incidents', false, async () => {
      const row = await this.incident(incident);
      const [matches = []] = await this.learning.similar([row.id], async (ids) => new Map((await this.catalog.servicesByIds(ids)).map((s) => [s.id, s.name] as const)));
      const top = matches.slice(0, first ?? 5);
      const incidents = new Map((await this.incidents.byIds(top.map((m) => m.id))).map((i) => [i.id, i]));
      return text(top.flatMap((m) => {
        const i = incidents.get(m.id);
        return i ? [{ id: i.id, reference: i.reference, title: i.title, severity: i.severity, startedAt: i.startedAt.toISOString(), score: m.score, reasons: m.reasons, url: `${this.config.publicUrl}/incidents/${i.reference}` }] : [];
      }));
    }));

    server.registerTool('add_timeline_event', {
      title: 'Add a timeline event',
      description: "Records an event on an incident's timeline (COMMANDER and above; an API token that may write).",
      inputSchema: {
        incident: incidentArg, occurredAt: isoDate, kind: z.enum(TIMELINE_EVENT_KINDS),
        description: z.string().min(1).max(100_000).describe('What happened (Markdown).'),
        evidenceUrl: z.string().max(2048).optional().describe('An absolute http(s) link to a dashboard, log, trace or deploy.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    }, (args) => run('add_timeline_event', true, async () => {
      const row = await this.incident(args.incident);
      const event = await this.analysis.addTimelineEvent(caller.actor, row.id, { occurredAt: new Date(args.occurredAt), kind: args.kind, description: args.description, evidenceUrl: args.evidenceUrl ?? null });
      return text({ id: event.id, incident: row.reference, occurredAt: event.occurredAt.toISOString(), kind: event.kind, source: event.source });
    }));

    server.registerTool('propose_action_item', {
      title: 'Propose an action item',
      description: "Proposes an action item on an incident's postmortem, owned by a team (COMMANDER and above, or a member of the owning team; an API token that may write). The due date defaults from the priority policy.",
      inputSchema: {
        incident: incidentArg, title: z.string().min(1).max(200), description: z.string().max(100_000).optional(),
        kind: z.enum(ACTION_KINDS), priority: z.enum(PRIORITIES),
        ownerTeam: z.string().min(1).max(200).describe("The owning team's id, slug or name."),
        dueAt: isoDate.optional(),
        addressesFactorId: z.string().optional().describe('The contributing factor it addresses.'),
        addressesSafeguardId: z.string().optional().describe('The failed safeguard it addresses.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    }, (args) => run('propose_action_item', true, async () => {
      const row = await this.incident(args.incident);
      const teams = await this.teams.list();
      const wanted = args.ownerTeam.trim().toLowerCase();
      const team = teams.find((t) => t.id === args.ownerTeam || t.slug === wanted || t.name.toLowerCase() === wanted);
      if (!team) throw new ToolRefusal('BAD_USER_INPUT', `ownerTeam: no team "${args.ownerTeam}"; teams: ${teams.map((t) => t.slug).join(', ')}`);
      const item = await this.actionItems.create(caller.actor, row.id, {
        title: args.title, description: args.description ?? null, kind: args.kind, priority: args.priority, ownerTeamId: team.id,
        dueAt: args.dueAt ? new Date(args.dueAt) : null, addressesFactorId: args.addressesFactorId ?? null, addressesSafeguardId: args.addressesSafeguardId ?? null,
      });
      return text({ id: item.id, incident: row.reference, title: item.title, priority: item.priority, ownerTeam: team.slug, dueAt: item.dueAt.toISOString(), url: `${this.config.publicUrl}/action-items/${item.id}` });
    }));

    return server;
  }

  /** Role and scope first (the budget was spent by the POST: McpController); then the tool. A refusal or a service's error becomes the tool's error result. */
  private async run(caller: McpCaller, name: McpToolName, write: boolean, work: () => Promise<CallToolResult>): Promise<CallToolResult> {
    try {
      if (write) {
        if (!hasAtLeast(caller.actor.role, 'COMMANDER')) return refusal('FORBIDDEN', `This needs the COMMANDER role or above; you are ${caller.actor.role}.`);
        // The token's scope, checked and audited as for any REST write (a READ_ONLY token is refused).
        await this.auth.restCaller(caller.authorization, 'write');
      }
      return await work();
    } catch (e) {
      if (e instanceof ToolRefusal) return refusal(e.code, e.message);
      if (e instanceof AppError) return refusal(String(e.extensions['code']), e.message);
      const status = (e as { getStatus?: () => number }).getStatus?.();
      if (status === 403) return refusal('FORBIDDEN', (e as Error).message);
      if (status === 401) return refusal('UNAUTHENTICATED', (e as Error).message);
      this.log.error({ err: e, tool: name, requestId: caller.requestId }, 'MCP tool failed');
      return refusal('INTERNAL_SERVER_ERROR', 'Something went wrong on the server; it has been logged.');
    }
  }

  private async incident(ref: string): Promise<IncidentRow> {
    const trimmed = ref.trim();
    const row = isUuid(trimmed) ? await this.incidents.byId(trimmed) : await this.incidents.byReference(trimmed.toUpperCase());
    if (!row) throw new ToolRefusal('NOT_FOUND', `No incident ${trimmed} (give its reference, e.g. ${formatReference(1)}, or its id).`);
    return row;
  }
}
