import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { canEditActionItem, FieldError, httpUrlOrNull, httpUrlProblem, literalTargetRefusal, normaliseExternalKey, SUPPORTED_TRACKER_KINDS, TRACKER_KINDS } from '@hindsight/domain';
import { ActionItemsService } from '@hindsight/server-action-items';
import { AuditService } from '@hindsight/server-audit';
import { assertValid, badInput, conflict, forbidden, isUuid, notFound, SECRET_BOX, SecretBox, SecretBoxError, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import type { SessionActor } from '@hindsight/server-graphql';
import { OutboundGuard } from '@hindsight/server-outbound';
import { TrackerHttpError } from './tracker-http.client';
import { TrackerSyncService } from './tracker-sync.service';
import { ConnectionRow, TrackersRepository } from './trackers.repository';
import { TrackerConnectionInput, TrackerConnectionType, TrackerConnectionUpdateInput } from './trackers.types';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Connections (ADMIN) and links (editors of the item); the sync itself runs in the worker. */
@Injectable()
export class TrackersService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly repo: TrackersRepository,
    private readonly sync: TrackerSyncService,
    private readonly items: ActionItemsService,
    private readonly audit: AuditService,
    private readonly outbound: OutboundGuard,
  ) {}

  toType(c: ConnectionRow): TrackerConnectionType {
    return {
      id: c.id, kind: c.kind, name: c.name, baseUrl: c.baseUrl, project: c.project, email: c.email, teamId: c.teamId, autoCreate: c.autoCreate,
      webhookUrl: this.sync.webhookUrl(c.id), hasWebhookSecret: !!c.webhookSecretEnc, lastSyncedAt: c.lastSyncedAt, lastError: c.lastError,
    };
  }

  async list(): Promise<TrackerConnectionType[]> {
    return (await this.repo.connections()).map((c) => this.toType(c));
  }

  async create(actor: SessionActor, input: TrackerConnectionInput): Promise<TrackerConnectionType> {
    const errors: FieldError[] = [];
    const name = input.name.trim();
    if (!name || name.length > 100) errors.push({ field: 'input.name', reason: 'must be 1 to 100 characters' });
    if (!(SUPPORTED_TRACKER_KINDS as readonly string[]).includes(input.kind)) {
      errors.push({ field: 'input.kind', reason: `${input.kind} is not supported yet; use one of ${SUPPORTED_TRACKER_KINDS.join(', ')} (all: ${TRACKER_KINDS.join(', ')})` });
    }
    let baseUrl = input.baseUrl.trim().replace(/\/+$/, '');
    const urlProblem = httpUrlProblem(baseUrl);
    if (urlProblem) {
      errors.push({ field: 'input.baseUrl', reason: `${urlProblem}; e.g. https://api.github.com, https://gitlab.example.com, https://acme.atlassian.net` });
    } else {
      const u = new URL(baseUrl);
      // A private address literal or localhost is refused now; a name when it is connected to.
      const inside = literalTargetRefusal(this.outbound.policy, u.hostname);
      if (inside) errors.push({ field: 'input.baseUrl', reason: inside });
      baseUrl = u.toString().replace(/\/+$/, '');
    }
    const project = input.project.trim();
    const projectRule = { GITHUB: /^[\w.-]+\/[\w.-]+$/, GITLAB: /^[\w.-]+(\/[\w.-]+)+$/, JIRA: /^[A-Z][A-Z0-9_]{0,19}$/, LINEAR: /^[A-Z0-9]{1,10}$/ }[input.kind];
    const projectHelp = { GITHUB: 'owner/repo', GITLAB: 'group/project', JIRA: 'a Jira project key such as OPS', LINEAR: 'a Linear team key' }[input.kind];
    if (!projectRule.test(project)) errors.push({ field: 'input.project', reason: `must be ${projectHelp}` });
    if (!input.token.trim() || input.token.length > 4096) errors.push({ field: 'input.token', reason: 'is required (at most 4096 characters)' });
    const secret = input.webhookSecret?.trim() || null;
    if (secret !== null && (secret.length < 16 || secret.length > 1024)) errors.push({ field: 'input.webhookSecret', reason: 'must be 16 to 1024 characters' });
    const email = input.email?.trim() || null;
    if (email !== null && (input.kind !== 'JIRA' || !EMAIL.test(email))) errors.push({ field: 'input.email', reason: 'only for Jira Cloud: the e-mail address of the API token' });
    if (input.teamId && !isUuid(input.teamId)) errors.push({ field: 'input.teamId', reason: `"${input.teamId}" is not an id` });
    if (input.autoCreate && !input.teamId) errors.push({ field: 'input.autoCreate', reason: 'needs teamId: issues are created automatically for one team’s items' });
    assertValid(errors);
    let tokenEnc: string;
    let webhookSecretEnc: string | null;
    try {
      tokenEnc = this.box.encrypt(input.token.trim());
      webhookSecretEnc = secret ? this.box.encrypt(secret) : null;
    } catch (e) {
      if (e instanceof SecretBoxError) throw badInput('input.token', `cannot be stored: ${e.message}`);
      throw e;
    }
    return this.ds.transaction(async (em) => {
      if (input.teamId && !(await this.repo.teamExists(em, input.teamId))) throw unknownId('team', input.teamId, 'input.teamId');
      const row = await this.repo.insertConnection(em, {
        kind: input.kind, name, baseUrl, project, email, tokenEnc,
        webhookSecretEnc, teamId: input.teamId ?? null, autoCreate: !!input.autoCreate, createdBy: actor.id,
      });
      const after = this.toType(row);
      await this.audit.record(em, { actorId: actor.id, action: 'tracker-connection.create', entityType: 'TrackerConnection', entityId: row.id, after });
      return after;
    });
  }

  async update(actor: SessionActor, id: string, input: TrackerConnectionUpdateInput): Promise<TrackerConnectionType> {
    const before = isUuid(id) ? await this.repo.connection(id) : null;
    if (!before) throw notFound('tracker connection', id);
    const errors: FieldError[] = [];
    const name = input.name?.trim();
    if (name !== undefined && (!name || name.length > 100)) errors.push({ field: 'input.name', reason: 'must be 1 to 100 characters' });
    const token = input.token?.trim();
    if (token !== undefined && (!token || token.length > 4096)) errors.push({ field: 'input.token', reason: 'must be 1 to 4096 characters' });
    const secret = input.webhookSecret?.trim();
    if (secret !== undefined && (secret.length < 16 || secret.length > 1024)) errors.push({ field: 'input.webhookSecret', reason: 'must be 16 to 1024 characters' });
    if (input.autoCreate && !before.teamId) errors.push({ field: 'input.autoCreate', reason: 'needs a connection with a team' });
    assertValid(errors);
    let sealed: { tokenEnc?: string; webhookSecretEnc?: string };
    try {
      sealed = { tokenEnc: token ? this.box.encrypt(token) : undefined, webhookSecretEnc: secret ? this.box.encrypt(secret) : undefined };
    } catch (e) {
      if (e instanceof SecretBoxError) throw badInput('input.token', `cannot be stored: ${e.message}`);
      throw e;
    }
    return this.ds.transaction(async (em) => {
      const row = await this.repo.updateConnection(em, id, { name, autoCreate: input.autoCreate ?? undefined, ...sealed });
      if (!row) throw notFound('tracker connection', id);
      const retried = token ? await this.repo.retryFailedPushes(em, id) : 0;
      // Issues the old token could no longer see looked deleted: the new token reads them again.
      const reread = token ? await this.repo.clearDeletedUpstream(em, id) : 0;
      const after = this.toType(row);
      await this.audit.record(em, {
        actorId: actor.id, action: 'tracker-connection.update', entityType: 'TrackerConnection', entityId: id, before: this.toType(before),
        after: { ...after, token: token ? '(replaced)' : undefined, webhookSecret: secret ? '(replaced)' : undefined, retriedPushes: retried, rereadLinks: reread },
      });
      return after;
    });
  }

  async delete(actor: SessionActor, id: string): Promise<boolean> {
    const c = isUuid(id) ? await this.repo.connection(id) : null;
    if (!c) throw notFound('tracker connection', id);
    return this.ds.transaction(async (em) => {
      await this.repo.deleteConnection(em, id);
      await this.audit.record(em, { actorId: actor.id, action: 'tracker-connection.delete', entityType: 'TrackerConnection', entityId: id, before: this.toType(c) });
      return true;
    });
  }

  /** Says OK or exactly why not; changes nothing in the tracker. */
  async test(id: string): Promise<{ ok: boolean; message: string }> {
    const c = isUuid(id) ? await this.repo.connection(id) : null;
    if (!c) throw notFound('tracker connection', id);
    try {
      await this.sync.adapter(c).check();
      return { ok: true, message: `OK: ${c.project} is reachable with this token` };
    } catch (e) {
      return { ok: false, message: e instanceof TrackerHttpError ? e.message : `failed: ${(e as Error).message}` };
    }
  }

  /**
   * With `externalKey`: checks the issue exists and links it. Without: records the link and a
   * CREATE push in one transaction; the worker creates the issue exactly once.
   */
  async link(actor: SessionActor, itemId: string, connectionId: string, externalKey: string | null | undefined): Promise<string> {
    const connection = isUuid(connectionId) ? await this.repo.connection(connectionId) : null;
    if (!connection) throw unknownId('tracker connection', connectionId, 'connectionId');
    // Who may link is checked before the tracker is asked anything, so its answer ("does not
    // exist") never tells someone who may not edit the item which issues exist; the
    // transaction below checks again on the locked row.
    const current = await this.items.byId(itemId);
    if (!current) throw notFound('action item', itemId);
    if (!canEditActionItem(actor, current.ownerTeamId)) throw forbidden('Only those who may edit this item may link it to a tracker.');
    let key: string | null = null;
    let remote = null;
    if (externalKey !== null && externalKey !== undefined) {
      key = normaliseExternalKey(connection.kind, externalKey);
      if (!key) throw badInput('externalKey', connection.kind === 'JIRA' || connection.kind === 'LINEAR' ? 'must be an issue key such as OPS-12' : 'must be an issue number such as 42');
      try {
        remote = await this.sync.adapter(connection).get(key);
      } catch (e) {
        if (e instanceof TrackerHttpError && e.failure === 'not-found') throw badInput('externalKey', `${key} does not exist in ${connection.project} (or the token cannot see it)`);
        throw badInput('connectionId', `the tracker could not be asked about ${key}: ${(e as Error).message}`);
      }
    }
    return this.ds.transaction(async (em) => {
      const item = await this.items.lockForUpdate(em, itemId);
      if (!item) throw notFound('action item', itemId);
      if (!canEditActionItem(actor, item.ownerTeamId)) throw forbidden('Only those who may edit this item may link it to a tracker.');
      if (connection.teamId && connection.teamId !== item.ownerTeamId) throw badInput('connectionId', "this connection takes only its team's items");
      if (await this.repo.linkOfItem(em, item.id)) throw conflict('This item is already linked; unlink it first.');
      if (key && (await this.repo.issueLinked(em, connection.id, key))) {
        throw badInput('externalKey', `${key} is already linked to another action item`);
      }
      const link = await this.repo.insertLink(em, {
        actionItemId: item.id, connectionId: connection.id, externalKey: key, url: httpUrlOrNull(remote?.url), state: remote?.state ?? 'OPEN',
        remoteUpdatedAt: remote?.updatedAt ?? null, createdBy: actor.id,
      });
      if (!link) throw conflict('This item was linked meanwhile.');
      // A new issue is created by the worker; an existing one is brought to the item's state and due date.
      await this.repo.insertPush(em, link.id, key ? 'SYNC' : 'CREATE');
      await this.audit.record(em, {
        actorId: actor.id, action: key ? 'action-item.link-tracker' : 'action-item.create-tracker-issue', entityType: 'ActionItem', entityId: item.id,
        after: { connectionId: connection.id, externalKey: key },
      });
      return item.id;
    });
  }

  async unlink(actor: SessionActor, itemId: string): Promise<string> {
    return this.ds.transaction(async (em) => {
      const item = await this.items.lockForUpdate(em, itemId);
      if (!item) throw notFound('action item', itemId);
      if (!canEditActionItem(actor, item.ownerTeamId)) throw forbidden('Only those who may edit this item may unlink it.');
      const link = await this.repo.deleteLink(em, item.id);
      if (!link) throw badInput('actionItemId', 'this item is not linked to a tracker');
      await this.audit.record(em, { actorId: actor.id, action: 'action-item.unlink-tracker', entityType: 'ActionItem', entityId: item.id, before: { connectionId: link.connectionId, externalKey: link.externalKey } });
      return item.id;
    });
  }

  /** "Create issues for all open items" of an incident: one link and one CREATE push per open, unlinked item. */
  async createForIncident(actor: SessionActor, incidentId: string, connectionId: string): Promise<number> {
    if (!isUuid(incidentId)) throw notFound('incident', incidentId);
    const connection = isUuid(connectionId) ? await this.repo.connection(connectionId) : null;
    if (!connection) throw unknownId('tracker connection', connectionId, 'connectionId');
    if (actor.role !== 'ADMIN' && actor.role !== 'COMMANDER' && (!connection.teamId || !canEditActionItem(actor, connection.teamId))) {
      throw forbidden("Commanders create issues for an incident's items; managers and members only through their team's connection.");
    }
    return this.ds.transaction(async (em) => {
      if (!(await this.repo.incidentExists(em, incidentId))) throw notFound('incident', incidentId);
      const ids = await this.repo.linkOpenItemsOfIncident(em, incidentId, connection, actor.id);
      for (const id of ids) {
        await this.audit.record(em, { actorId: actor.id, action: 'action-item.create-tracker-issue', entityType: 'ActionItem', entityId: id, after: { connectionId, incidentId } });
      }
      return ids.length;
    });
  }
}
