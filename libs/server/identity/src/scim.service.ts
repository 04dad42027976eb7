import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  applyScimUserPatch, normaliseEmail, parseScimFilter, ScimErrorType, scimGroupMembers, scimGroupPatchPlan, scimPage, scimPatchOps, ScimRuleError,
  scimUserFromResource, ScimUserState, slugify, splitName, validateTeamInput,
} from '@hindsight/domain';
import { AppError, isUniqueViolation, isUuid } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { IdentityRepository } from './identity.repository';
import { OpenItems } from './open-items.port';
import { ScimGroupRow, ScimRepository, ScimUserRow } from './scim.repository';
import { UsersService } from './users.service';

export const SCIM_SCHEMAS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/** The most resources one list page returns (ServiceProviderConfig's filter.maxResults). */
export const SCIM_MAX_RESULTS = 200;

/** An answer in SCIM's error shape (RFC 7644 3.12). */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimErrorType,
    /** Hindsight's machine-readable reason (e.g. PASSWORD_CHANGE_REQUIRED), as the other REST routes give it. */
    readonly reason?: string,
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  body(): Record<string, unknown> {
    return { schemas: [SCIM_SCHEMAS.error], status: String(this.status), ...(this.scimType ? { scimType: this.scimType } : {}), detail: this.detail, ...(this.reason ? { reason: this.reason } : {}) };
  }

  /** Hindsight's own errors and the SCIM rules' errors as SCIM errors; anything else is not ours to explain. */
  static from(e: unknown): ScimError | null {
    if (e instanceof ScimError) return e;
    if (e instanceof ScimRuleError) return new ScimError(e.scimType === 'uniqueness' ? 409 : 400, e.message, e.scimType);
    if (e instanceof AppError) {
      const reason = String(e.extensions['reason'] ?? '');
      if (e.code === 'BAD_USER_INPUT') return /already used/.test(reason) ? new ScimError(409, e.message, 'uniqueness') : new ScimError(400, e.message, 'invalidValue');
      if (e.code === 'NOT_FOUND') return new ScimError(404, e.message);
      if (e.code === 'FORBIDDEN') return new ScimError(403, e.message);
      if (e.code === 'CONFLICT') return new ScimError(409, e.message, 'uniqueness');
      if (e.code === 'UNAUTHENTICATED') return new ScimError(401, e.message);
    }
    return null;
  }
}

type Query = Record<string, string | undefined>;

/**
 * SCIM 2.0 Users and Groups over Hindsight's people and teams. Users are created as VIEWER
 * without a password (they sign in through single sign-on); DELETE deactivates, never deletes.
 * Groups are teams; their members are the team's members (the manager is kept apart).
 */
@Injectable()
export class ScimService {
  private readonly base: string;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CONFIG) config: ResolvedConfig,
    private readonly repo: ScimRepository,
    private readonly identity: IdentityRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly openItems: OpenItems,
  ) {
    this.base = `${config.publicUrl}/scim/v2`;
  }

  // ------------------------------------------------------------ users

  async listUsers(q: Query): Promise<Record<string, unknown>> {
    const filter = q['filter'] ? parseScimFilter(q['filter'], ['userName', 'externalId', 'id'] as const) : null;
    const { offset, limit } = scimPage(q['startIndex'], q['count'], SCIM_MAX_RESULTS);
    const byUserName = filter?.attribute === 'userName' ? { attribute: filter.attribute, value: normaliseEmail(filter.value) ?? filter.value.trim() } : filter;
    const { rows, total } = await this.repo.users(byUserName as { attribute: 'userName' | 'externalId' | 'id'; value: string } | null, offset, limit);
    return this.list(rows.map((r) => this.userResource(r)), total, offset);
  }

  async getUser(id: string): Promise<Record<string, unknown>> {
    return this.userResource(await this.userRow(id));
  }

  async createUser(actor: SessionActor, body: unknown): Promise<Record<string, unknown>> {
    const u = scimUserFromResource(body);
    await this.assertUserExternalIdFree(u.externalId, null);
    const created = await this.users.provision(actor, { email: u.email, name: u.name, externalId: u.externalId, active: u.active });
    return this.getUser(created.id);
  }

  async replaceUser(actor: SessionActor, id: string, body: unknown): Promise<Record<string, unknown>> {
    const current = this.userState(await this.userRow(id));
    return this.saveUser(actor, id, current, scimUserFromResource(body, current));
  }

  async patchUser(actor: SessionActor, id: string, body: unknown): Promise<Record<string, unknown>> {
    const current = this.userState(await this.userRow(id));
    return this.saveUser(actor, id, current, applyScimUserPatch(current, scimPatchOps(body)));
  }

  /** DELETE deactivates: sessions end and API tokens are revoked at once, the history stays. */
  async deleteUser(actor: SessionActor, id: string): Promise<void> {
    await this.userRow(id);
    await this.users.setActive(actor, id, false, 'scim');
  }

  private async saveUser(actor: SessionActor, id: string, before: ScimUserState, after: ScimUserState): Promise<Record<string, unknown>> {
    if (after.externalId !== before.externalId) await this.assertUserExternalIdFree(after.externalId, id);
    if (after.name !== before.name || after.email !== before.email || after.externalId !== before.externalId) {
      await this.users.updateProfile(actor, id, { name: after.name, email: after.email, externalId: after.externalId }, 'scim');
    }
    if (after.active !== before.active) await this.users.setActive(actor, id, after.active, 'scim');
    return this.getUser(id);
  }

  private async userRow(id: string): Promise<ScimUserRow> {
    const row = isUuid(id) ? await this.repo.user(id) : null;
    if (!row) throw new ScimError(404, `No User with id "${id}".`);
    return row;
  }

  private userState(r: ScimUserRow): ScimUserState {
    return { userName: r.email, name: r.name, email: r.email, active: r.active, externalId: r.externalId };
  }

  private userResource(r: ScimUserRow): Record<string, unknown> {
    return {
      schemas: [SCIM_SCHEMAS.user],
      id: r.id,
      ...(r.externalId ? { externalId: r.externalId } : {}),
      userName: r.email,
      name: { formatted: r.name, ...splitName(r.name) },
      displayName: r.name,
      emails: [{ value: r.email, type: 'work', primary: true }],
      active: r.active,
      meta: { resourceType: 'User', created: r.createdAt, lastModified: r.updatedAt, location: `${this.base}/Users/${r.id}` },
    };
  }

  // ------------------------------------------------------------ groups

  async listGroups(q: Query): Promise<Record<string, unknown>> {
    const filter = q['filter'] ? parseScimFilter(q['filter'], ['displayName', 'externalId', 'id'] as const) : null;
    const { offset, limit } = scimPage(q['startIndex'], q['count'], SCIM_MAX_RESULTS);
    const { rows, total } = await this.repo.groups(filter as { attribute: 'displayName' | 'externalId' | 'id'; value: string } | null, offset, limit);
    const withMembers = !/\bmembers\b/i.test(q['excludedAttributes'] ?? '');
    return this.list(rows.map((r) => this.groupResource(r, withMembers)), total, offset);
  }

  async getGroup(id: string, q: Query = {}): Promise<Record<string, unknown>> {
    return this.groupResource(await this.groupRow(id), !/\bmembers\b/i.test(q['excludedAttributes'] ?? ''));
  }

  async createGroup(actor: SessionActor, body: unknown): Promise<Record<string, unknown>> {
    const r = (body ?? {}) as Record<string, unknown>;
    const name = this.groupName(r['displayName']);
    const externalId = typeof r['externalId'] === 'string' && r['externalId'].trim() ? r['externalId'].trim() : null;
    const members = scimGroupMembers(r['members']);
    const id = await this.write(async (em) => {
      if (externalId && (await this.repo.teamIdByExternalId(em, externalId))) throw new ScimError(409, `Another Group already has externalId "${externalId}".`, 'uniqueness');
      const taken = await this.identity.teamNameOrSlugTaken(em, name, slugify(name));
      if (taken) throw new ScimError(409, taken === 'name' ? `A team named "${name}" already exists.` : `A team already uses the slug "${slugify(name)}".`, 'uniqueness');
      await this.assertUsers(em, members);
      const team = await this.identity.insertTeam(em, { name, slug: slugify(name), managerId: null });
      await this.repo.setTeamExternalId(em, team.id, externalId);
      await this.identity.addMembers(em, team.id, members);
      await this.audit.record(em, { actorId: actor.id, action: 'team.create', entityType: 'Team', entityId: team.id, after: { ...team, externalId, memberIds: members, via: 'scim' } });
      return team.id;
    });
    return this.getGroup(id);
  }

  async replaceGroup(actor: SessionActor, id: string, body: unknown): Promise<Record<string, unknown>> {
    const r = (body ?? {}) as Record<string, unknown>;
    const externalId = typeof r['externalId'] === 'string' && r['externalId'].trim() ? r['externalId'].trim() : undefined;
    return this.changeGroup(actor, id, { displayName: this.groupName(r['displayName']), externalId, replaceMembers: scimGroupMembers(r['members']), addMembers: [], removeMembers: [] });
  }

  async patchGroup(actor: SessionActor, id: string, body: unknown): Promise<Record<string, unknown>> {
    return this.changeGroup(actor, id, scimGroupPatchPlan(scimPatchOps(body)));
  }

  /**
   * DELETE of a Group: the provider no longer manages this team. Its members leave it (their
   * open items of the team go to the manager) and the link to the provider is cut; the team,
   * its items and its history stay in Hindsight.
   */
  async deleteGroup(actor: SessionActor, id: string): Promise<void> {
    await this.changeGroup(actor, id, { externalId: null, replaceMembers: [], addMembers: [], removeMembers: [] });
  }

  private async changeGroup(actor: SessionActor, id: string, plan: ReturnType<typeof scimGroupPatchPlan>): Promise<Record<string, unknown>> {
    await this.groupRow(id);
    await this.write(async (em) => {
      const team = await this.identity.lockTeam(em, id);
      if (!team) throw new ScimError(404, `No Group with id "${id}".`);
      const current = await this.repo.memberIds(em, id);
      const wanted = new Set(plan.replaceMembers ?? current);
      for (const m of plan.addMembers) wanted.add(m);
      for (const m of plan.removeMembers) wanted.delete(m);
      const added = [...wanted].filter((m) => !current.includes(m));
      const removed = current.filter((m) => !wanted.has(m));
      await this.assertUsers(em, added);
      if (plan.displayName !== undefined && plan.displayName !== team.name) {
        this.groupName(plan.displayName);
        if (await this.identity.teamNameTakenByOther(em, id, plan.displayName)) throw new ScimError(409, `A team named "${plan.displayName}" already exists.`, 'uniqueness');
        const after = await this.identity.updateTeam(em, id, { name: plan.displayName, managerId: team.managerId });
        await this.audit.record(em, { actorId: actor.id, action: 'team.update', entityType: 'Team', entityId: id, before: team, after: { ...after, via: 'scim' } });
      }
      if (plan.externalId !== undefined) {
        if (plan.externalId) {
          const holder = await this.repo.teamIdByExternalId(em, plan.externalId);
          if (holder && holder !== id) throw new ScimError(409, `Another Group already has externalId "${plan.externalId}".`, 'uniqueness');
        }
        await this.repo.setTeamExternalId(em, id, plan.externalId);
      }
      await this.identity.addMembers(em, id, added);
      for (const userId of added) await this.audit.record(em, { actorId: actor.id, action: 'team.add-member', entityType: 'Team', entityId: id, after: { userId, via: 'scim' } });
      for (const userId of removed) {
        await this.identity.removeMember(em, id, userId);
        const unassigned = await this.openItems.unassignLeaverItems(em, { actorId: actor.id, userId, teamId: id, reason: 'removed from the team' });
        await this.audit.record(em, { actorId: actor.id, action: 'team.remove-member', entityType: 'Team', entityId: id, before: { userId }, after: { userId, unassignedActionItemIds: unassigned, via: 'scim' } });
      }
    });
    return this.getGroup(id);
  }

  private groupName(value: unknown): string {
    const name = typeof value === 'string' ? value.trim() : '';
    const errors = validateTeamInput({ name });
    if (errors.length > 0 || slugify(name) === '') throw new ScimError(400, `displayName ${errors[0]?.reason ?? 'must contain at least one letter or digit'}.`, 'invalidValue');
    return name;
  }

  private async groupRow(id: string): Promise<ScimGroupRow> {
    const row = isUuid(id) ? await this.repo.group(id) : null;
    if (!row) throw new ScimError(404, `No Group with id "${id}".`);
    return row;
  }

  private groupResource(r: ScimGroupRow, withMembers: boolean): Record<string, unknown> {
    return {
      schemas: [SCIM_SCHEMAS.group],
      id: r.id,
      ...(r.externalId ? { externalId: r.externalId } : {}),
      displayName: r.name,
      ...(withMembers ? { members: r.members.map((m) => ({ value: m.id, display: m.name, $ref: `${this.base}/Users/${m.id}`, type: 'User' })) } : {}),
      meta: { resourceType: 'Group', created: r.createdAt, location: `${this.base}/Groups/${r.id}` },
    };
  }

  // ------------------------------------------------------------ shared

  private list(resources: unknown[], total: number, offset: number): Record<string, unknown> {
    return { schemas: [SCIM_SCHEMAS.list], totalResults: total, startIndex: offset + 1, itemsPerPage: resources.length, Resources: resources };
  }

  private async assertUserExternalIdFree(externalId: string | null, self: string | null): Promise<void> {
    if (!externalId) return;
    const holder = await this.repo.userIdByExternalId(this.ds.manager, externalId);
    if (holder && holder !== self) throw new ScimError(409, `Another User already has externalId "${externalId}".`, 'uniqueness');
  }

  private async assertUsers(em: EntityManager, ids: readonly string[]): Promise<void> {
    const unknown = await this.repo.unknownUserIds(em, ids);
    if (unknown.length > 0) throw new ScimError(400, `members: no User with id "${unknown[0]}".`, 'invalidValue');
  }

  private async write<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.ds.transaction(work);
    } catch (e) {
      if (isUniqueViolation(e)) throw new ScimError(409, 'Another Group already has this displayName or externalId.', 'uniqueness');
      throw e;
    }
  }

  /** Where SCIM lives, for the discovery documents' locations. */
  baseUrl(): string {
    return this.base;
  }
}
