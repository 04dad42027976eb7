import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FieldError, slugify, validateTeamInput } from '@hindsight/domain';
import { assertValid, badInput, isUniqueViolation, isUuid, notFound, unknownId } from '@hindsight/server-common';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { IdentityRepository, TeamRow } from './identity.repository';
import { OpenItems } from './open-items.port';

export interface NewTeam { name: string; managerId?: string | null; memberIds?: string[] | null }

@Injectable()
export class TeamsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: IdentityRepository,
    private readonly audit: AuditService,
    private readonly openItems: OpenItems,
  ) {}

  list(): Promise<TeamRow[]> {
    return this.repo.listTeams();
  }

  async create(actor: SessionActor, input: NewTeam): Promise<TeamRow> {
    const name = input.name.trim();
    const slug = slugify(name);
    const errors: FieldError[] = validateTeamInput(input);
    if (errors.length === 0 && slug === '') errors.push({ field: 'input.name', reason: 'must contain at least one letter or digit' });
    assertValid(errors);
    const memberIds = [...new Set(input.memberIds ?? [])];
    try {
      return await this.ds.transaction(async (em) => {
        const taken = await this.repo.teamNameOrSlugTaken(em, name, slug);
        if (taken) throw badInput('input.name', taken === 'name' ? 'another team already has this name' : `another team already uses the slug "${slug}"`);
        await this.assertUsersExist(em, input.managerId ? [input.managerId] : [], 'input.managerId');
        await this.assertUsersExist(em, memberIds, 'input.memberIds');
        const team = await this.repo.insertTeam(em, { name, slug, managerId: input.managerId ?? null });
        await this.repo.addMembers(em, team.id, memberIds);
        await this.audit.record(em, { actorId: actor.id, action: 'team.create', entityType: 'Team', entityId: team.id, after: { ...team, memberIds } });
        return team;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw badInput('input.name', 'another team already has this name');
      throw e;
    }
  }

  async addMember(actor: SessionActor, teamId: string, userId: string): Promise<TeamRow> {
    return this.ds.transaction(async (em) => {
      const [team] = isUuid(teamId) ? await this.repo.teamsByIds([teamId], em) : [];
      if (!team) throw notFound('team', teamId);
      await this.assertUsersExist(em, [userId], 'userId');
      await this.repo.addMembers(em, teamId, [userId]);
      await this.audit.record(em, { actorId: actor.id, action: 'team.add-member', entityType: 'Team', entityId: teamId, after: { userId } });
      return team;
    });
  }

  /** Renames a team and/or changes its manager (null removes the manager). Names are unique whatever their case. */
  async update(actor: SessionActor, id: string, changes: { name?: string | null; managerId?: string | null }): Promise<TeamRow> {
    const name = changes.name === undefined || changes.name === null ? undefined : changes.name.trim();
    if (name !== undefined) {
      const errors: FieldError[] = validateTeamInput({ name }).map((e) => ({ ...e, field: e.field.replace(/^input\./, '') }));
      if (errors.length === 0 && slugify(name) === '') errors.push({ field: 'name', reason: 'must contain at least one letter or digit' });
      assertValid(errors);
    }
    try {
      return await this.ds.transaction(async (em) => {
        const before = isUuid(id) ? await this.repo.lockTeam(em, id) : null;
        if (!before) throw notFound('team', id);
        if (name !== undefined && (await this.repo.teamNameTakenByOther(em, id, name))) throw badInput('name', 'another team already has this name');
        if (changes.managerId) await this.assertUsersExist(em, [changes.managerId], 'managerId');
        const after = await this.repo.updateTeam(em, id, { name: name ?? before.name, managerId: changes.managerId === undefined ? before.managerId : changes.managerId });
        await this.audit.record(em, { actorId: actor.id, action: 'team.update', entityType: 'Team', entityId: id, before, after });
        return after;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw badInput('name', 'another team already has this name');
      throw e;
    }
  }

  /**
   * Takes a member off a team. Their open items of that team become unassigned, so the
   * chaser takes them to the team's manager; each unassignment is audited with the removal.
   */
  async removeMember(actor: SessionActor, teamId: string, userId: string): Promise<TeamRow> {
    return this.ds.transaction(async (em) => {
      const team = isUuid(teamId) ? await this.repo.lockTeam(em, teamId) : null;
      if (!team) throw notFound('team', teamId);
      if (!isUuid(userId)) throw unknownId('user', userId, 'userId');
      if (!(await this.repo.removeMember(em, teamId, userId))) throw badInput('userId', 'is not a member of this team');
      const unassigned = await this.openItems.unassignLeaverItems(em, { actorId: actor.id, userId, teamId, reason: 'removed from the team' });
      await this.audit.record(em, { actorId: actor.id, action: 'team.remove-member', entityType: 'Team', entityId: teamId, before: { userId }, after: { userId, unassignedActionItemIds: unassigned } });
      return team;
    });
  }

  private async assertUsersExist(em: EntityManager, ids: readonly string[], field: string): Promise<void> {
    if (ids.length === 0) return;
    const bad = ids.find((id) => !isUuid(id));
    if (bad) throw unknownId('user', bad, field);
    const found = await this.repo.existingUserIds(em, ids);
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw unknownId('user', missing, field);
  }
}
