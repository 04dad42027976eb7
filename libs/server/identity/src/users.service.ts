import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { checkEmail, checkName, collectErrors, normaliseEmail, passwordProblem, Role, ROLES, validateUserInput } from '@hindsight/domain';
import { assertValid, badInput, conflict, forbidden, isUniqueViolation, isUuid, notFound } from '@hindsight/server-common';
import { CONFIG, ResolvedConfig } from '@hindsight/server-config';
import { InjectDataSource } from '@hindsight/server-db';
import { AuditService } from '@hindsight/server-audit';
import type { SessionActor } from '@hindsight/server-graphql';
import { EmailConflicts } from './email-conflicts.service';
import { IdentityRepository, UserRow } from './identity.repository';
import { OpenItems } from './open-items.port';
import { PasswordHasher } from './password.hasher';
import { SessionsRepository } from './sessions.repository';

export interface NewUser { email: string; name: string; role: Role; password: string }

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly log = new Logger('UsersService');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly repo: IdentityRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly sessions: SessionsRepository,
    private readonly emailConflicts: EmailConflicts,
    private readonly openItems: OpenItems,
  ) {}

  list(): Promise<UserRow[]> {
    return this.repo.listUsers();
  }

  /** Rows of the ids found, in no particular order: other rooms' batches. */
  byIds(ids: readonly string[]): Promise<UserRow[]> {
    return ids.length ? this.repo.usersByIds(ids) : Promise.resolve([]);
  }

  async create(actor: SessionActor, input: NewUser): Promise<UserRow> {
    assertValid(validateUserInput(input));
    // Stored in its one normalised spelling (PRODUCT.md §6), as every sign-in compares it.
    const email = normaliseEmail(input.email) as string;
    const passwordHash = await this.hasher.hash(input.password);
    try {
      return await this.ds.transaction(async (em) => {
        if (await this.repo.emailTaken(em, email)) throw badInput('input.email', 'is already used by another user');
        const user = await this.repo.insertUser(em, { email, name: input.name.trim(), role: input.role, passwordHash });
        await this.audit.record(em, { actorId: actor.id, action: 'user.create', entityType: 'User', entityId: user.id, after: user });
        return user;
      });
    } catch (e) {
      if (isUniqueViolation(e, 'users_email_key')) throw badInput('input.email', 'is already used by another user');
      throw e;
    }
  }

  /**
   * Deactivates or reactivates a user. Deactivation ends their sessions and revokes their API
   * tokens in the same transaction, so their very next request is UNAUTHENTICATED; nothing of
   * theirs is deleted: their open items become unassigned (remembering who had them) and the
   * chaser takes them to the owning team's manager. Reactivation restores neither sessions nor
   * tokens: the person signs in again.
   */
  async setActive(actor: SessionActor, userId: string, active: boolean, via: 'graphql' | 'scim' = 'graphql'): Promise<UserRow> {
    if (!active && userId === actor.id) throw forbidden('You cannot deactivate your own account; ask another administrator.');
    return this.ds.transaction(async (em) => {
      const before = isUuid(userId) ? await this.repo.lockUser(em, userId) : null;
      if (!before) throw notFound('user', userId);
      if (before.active === active) return before;
      const after = await this.repo.setUserActive(em, userId, active);
      if (!after) throw notFound('user', userId);
      if (active) {
        await this.audit.record(em, { actorId: actor.id, action: 'user.reactivate', entityType: 'User', entityId: userId, before, after: { ...after, via } });
        return after;
      }
      const endedSessions = await this.sessions.end(em, userId, 'deactivated');
      const revokedApiTokens = await this.sessions.revokeApiTokensOf(em, userId);
      const unassigned = await this.openItems.unassignLeaverItems(em, { actorId: actor.id, userId, teamId: null, reason: 'assignee deactivated' });
      await this.audit.record(em, { actorId: actor.id, action: 'user.deactivate', entityType: 'User', entityId: userId, before, after: { ...after, via, endedSessions: endedSessions.length, revokedApiTokenIds: revokedApiTokens, unassignedActionItemIds: unassigned } });
      return after;
    });
  }

  /**
   * An ADMIN (or the identity provider through SCIM) changes a person's name, e-mail or
   * external id; omitted values stay. The e-mail is stored normalised and stays unique in that form.
   */
  async updateProfile(actor: SessionActor, userId: string, change: { name?: string | null; email?: string | null; externalId?: string | null }, via: 'graphql' | 'scim' = 'graphql'): Promise<UserRow> {
    const email = change.email === undefined || change.email === null ? undefined : (normaliseEmail(change.email) ?? change.email.trim());
    const name = change.name?.trim();
    assertValid(collectErrors(email !== undefined ? checkEmail('input.email', email) : null, name !== undefined ? checkName('input.name', name) : null));
    try {
      return await this.ds.transaction(async (em) => {
        const before = isUuid(userId) ? await this.repo.lockUser(em, userId) : null;
        if (!before) throw notFound('user', userId);
        if (email !== undefined && email !== before.email && (await this.repo.emailTaken(em, email, userId))) throw badInput('input.email', 'is already used by another user');
        const next = { name: name ?? before.name, email: email ?? before.email, externalId: change.externalId === undefined ? before.externalId : change.externalId };
        if (next.name === before.name && next.email === before.email && next.externalId === before.externalId) return before;
        const after = await this.repo.updateUserProfile(em, userId, next);
        await this.audit.record(em, { actorId: actor.id, action: 'user.update', entityType: 'User', entityId: userId, before, after: { ...after, via } });
        // A new address settles this account's part in a collision of normalised addresses.
        if (next.email !== before.email && (await this.repo.inEmailConflict(em, userId))) await this.emailConflicts.settle(em, actor.id);
        return after;
      });
    } catch (e) {
      if (isUniqueViolation(e, 'users_email_key')) throw badInput('input.email', 'is already used by another user');
      if (isUniqueViolation(e, 'users_external_id_key')) throw badInput('externalId', 'is already used by another user');
      throw e;
    }
  }

  /**
   * An ADMIN sets a temporary password for someone who lost theirs. All their sessions end
   * (whoever knew the old password is out) and, until they choose a new one with
   * changePassword, the API refuses everything else they try.
   */
  async resetPassword(actor: SessionActor, userId: string, temporaryPassword: string): Promise<UserRow> {
    if (userId === actor.id) throw forbidden('Change your own password with changePassword; a reset is for someone else.');
    const problem = passwordProblem(temporaryPassword);
    if (problem) throw badInput('temporaryPassword', problem);
    const hash = await this.hasher.hash(temporaryPassword);
    return this.ds.transaction(async (em) => {
      const before = isUuid(userId) ? await this.repo.lockUser(em, userId) : null;
      if (!before) throw notFound('user', userId);
      await this.repo.resetPassword(em, userId, hash, true);
      const ended = await this.sessions.end(em, userId, 'password-reset');
      await this.audit.record(em, { actorId: actor.id, action: 'user.reset-password', entityType: 'User', entityId: userId, after: { mustChangePassword: true, endedSessions: ended.length } });
      return (await this.repo.lockUser(em, userId)) ?? before;
    });
  }

  /** A person created by the identity provider (SCIM): VIEWER, no password (they sign in by SSO). */
  async provision(actor: SessionActor, input: { email: string; name: string; externalId: string | null; active: boolean }): Promise<UserRow> {
    const email = normaliseEmail(input.email) ?? input.email.trim();
    assertValid(collectErrors(checkEmail('input.email', email), checkName('input.name', input.name)));
    try {
      return await this.ds.transaction(async (em) => {
        if (await this.repo.emailTaken(em, email)) throw badInput('input.email', 'is already used by another user');
        const created = await this.repo.insertUser(em, { email, name: input.name.trim(), role: 'VIEWER', passwordHash: null, externalId: input.externalId });
        const user = input.active ? created : ((await this.repo.setUserActive(em, created.id, false)) ?? created);
        await this.audit.record(em, { actorId: actor.id, action: 'user.create', entityType: 'User', entityId: user.id, after: { ...user, via: 'scim' } });
        return user;
      });
    } catch (e) {
      if (isUniqueViolation(e, 'users_email_key')) throw badInput('input.email', 'is already used by another user');
      if (isUniqueViolation(e, 'users_external_id_key')) throw badInput('externalId', 'is already used by another user');
      throw e;
    }
  }

  /**
   * The signed-in person changes their password: the current one is required, the new one
   * follows the rule for new passwords (passwordProblem). Their other sessions end at once; the
   * calling one stays valid.
   */
  async changePassword(actor: SessionActor, currentPassword: string, newPassword: string): Promise<boolean> {
    if (actor.via !== 'session') throw forbidden('Change a password from a signed-in session, not with an API token.');
    const problem = passwordProblem(newPassword);
    if (problem) throw badInput('newPassword', problem);
    const newHash = await this.hasher.hash(newPassword);
    return this.ds.transaction(async (em) => {
      const currentHash = await this.repo.passwordHash(em, actor.id);
      if (!(await this.hasher.verify(currentHash, currentPassword))) throw badInput('currentPassword', 'is not your current password');
      await this.repo.setPasswordHash(em, actor.id, newHash);
      const ended = await this.repo.endSessions(em, actor.id, 'password-change', { except: actor.sessionId ?? null });
      await this.audit.record(em, { actorId: actor.id, action: 'user.change-password', entityType: 'User', entityId: actor.id, after: { otherSessionsEnded: ended } });
      return true;
    });
  }

  /** Ends the calling session: the very next request with its token is UNAUTHENTICATED. */
  async logout(actor: SessionActor): Promise<boolean> {
    if (actor.via !== 'session' || !actor.sessionId) throw forbidden('An API token has no session to end; an ADMIN revokes it with revokeApiToken.');
    const sessionId = actor.sessionId;
    return this.ds.transaction(async (em) => {
      await this.repo.endSessions(em, actor.id, 'logout', { id: sessionId });
      await this.audit.record(em, { actorId: actor.id, action: 'session.logout', entityType: 'User', entityId: actor.id, after: { sessionId } });
      return true;
    });
  }

  /**
   * Changes a user's role. Every request loads the actor's role from the database, so the new
   * role applies to the person's very next request (sessions and API tokens carry only the id).
   * The last active ADMIN cannot be demoted: CONFLICT.
   */
  async setRole(actor: SessionActor, userId: string, role: Role): Promise<UserRow> {
    if (!ROLES.includes(role)) throw badInput('role', `must be one of ${ROLES.join(', ')}`);
    return this.ds.transaction(async (em) => {
      const admins = await this.repo.lockActiveAdmins(em);
      const [before] = isUuid(userId) ? await this.repo.usersByIds([userId]) : [];
      if (!before) throw notFound('user', userId);
      if (before.role === role) return before;
      if (before.role === 'ADMIN' && role !== 'ADMIN' && admins.includes(userId) && admins.length <= 1) {
        throw conflict('This is the last active ADMIN; make someone else ADMIN first.');
      }
      const after = await this.repo.setUserRole(em, userId, role);
      if (!after) throw notFound('user', userId);
      await this.audit.record(em, { actorId: actor.id, action: 'user.set-role', entityType: 'User', entityId: userId, before, after });
      return after;
    });
  }

  /**
   * A person an identity provider signs in for the first time (single sign-on): created in
   * the caller's transaction, with no password, and audited with `via` (the provider's issuer
   * and subject). The caller has vetted the address; a concurrent first sign-in of the same
   * person fails on the unique e-mail, for the caller to look the winner up.
   */
  async createForProvider(em: EntityManager, input: { email: string; name: string; role: Role }, via: Record<string, unknown>): Promise<UserRow> {
    const user = await this.repo.insertUser(em, { ...input, passwordHash: null });
    await this.audit.record(em, { actorId: user.id, action: 'user.create', entityType: 'User', entityId: user.id, after: { ...user, ...via } });
    return user;
  }

  /**
   * The role an identity provider's groups give, applied at sign-in in the caller's
   * transaction (the user locked) and audited when it changes. The last active ADMIN keeps the
   * role, as with setRole: a group change at the provider must not lock everyone out of
   * administration (`keptLastAdmin`).
   */
  async applyProviderRole(em: EntityManager, user: UserRow, role: Role): Promise<{ user: UserRow; keptLastAdmin: boolean }> {
    if (role === user.role) return { user, keptLastAdmin: false };
    if (user.role === 'ADMIN') {
      const admins = await this.repo.lockActiveAdmins(em);
      if (admins.length === 1 && admins[0] === user.id) return { user, keptLastAdmin: true };
    }
    const after = await this.repo.setUserRole(em, user.id, role);
    if (!after) throw new Error(`user ${user.id} vanished while locked`);
    await this.audit.record(em, { actorId: null, action: 'user.set-role', entityType: 'User', entityId: user.id, before: { role: user.role }, after: { role, via: 'oidc' } });
    return { user: after, keptLastAdmin: false };
  }

  /**
   * The first ADMIN, from HINDSIGHT_ADMIN_EMAIL / HINDSIGHT_ADMIN_PASSWORD, when no user exists.
   * An advisory lock makes it happen once even when several API processes start together.
   */
  async bootstrapAdmin(): Promise<UserRow | null> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) return null;
    if ((await this.repo.countUsers()) > 0) return null;
    const passwordHash = await this.hasher.hash(adminPassword);
    return this.ds.transaction(async (em) => {
      await this.repo.lockUserBootstrap(em);
      if ((await this.repo.countUsers(em)) > 0) return null;
      const user = await this.repo.insertUser(em, { email: normaliseEmail(adminEmail) ?? adminEmail, name: 'Administrator', role: 'ADMIN', passwordHash });
      await this.audit.record(em, { actorId: null, action: 'user.bootstrap-admin', entityType: 'User', entityId: user.id, after: user });
      return user;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const created = await this.bootstrapAdmin();
    if (created) this.log.log(`created the first administrator ${created.email}`);
    await this.emailConflicts.report();
  }
}
