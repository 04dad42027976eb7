import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryRows } from '@hindsight/server-db';
import { LIVE_SESSION_SQL } from './sessions.repository';

export interface UserRow { id: string; email: string; name: string; role: Role; active: boolean; createdAt: Date; updatedAt: Date; externalId: string | null; mustChangePassword: boolean }
export interface TeamRow { id: string; name: string; slug: string; managerId: string | null; createdAt: Date }
/** What the GraphQL User type shows: what a page of people reads (no timestamps to parse for nothing). */
export type UserCard = Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'active' | 'mustChangePassword'>;
export interface ActorRow extends UserRow { teamIds: string[]; sessionLastUsedAt: Date | null }
/** A member of a team; the status fields only when asked for (membersOfTeams). */
export type MemberRow = Omit<UserCard, 'active' | 'mustChangePassword'> & Partial<Pick<UserCard, 'active' | 'mustChangePassword'>> & { teamId: string };
export interface ApiTokenRow { id: string; name: string; userId: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }

const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.active, u.created_at AS "createdAt", u.updated_at AS "updatedAt", u.external_id AS "externalId", u.must_change_password AS "mustChangePassword"`;
const CARD_COLUMNS = `u.id, u.email, u.name, u.role, u.active, u.must_change_password AS "mustChangePassword"`;
const TEAM_COLUMNS = `t.id, t.name, t.slug, t.manager_id AS "managerId", t.created_at AS "createdAt"`;
// A user belongs to the teams they are a member of and the teams they manage.
const ACTOR_TEAMS = `ARRAY(SELECT team_id FROM team_members WHERE user_id = u.id UNION SELECT id FROM teams WHERE manager_id = u.id)::text[] AS "teamIds"`;

/** All SQL about users, teams, memberships, API tokens and sign-in attempts. */
@Injectable()
export class IdentityRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async countUsers(em: EntityManager = this.ds.manager): Promise<number> {
    const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM users`);
    return n;
  }

  listUsers(): Promise<UserRow[]> {
    return this.ds.query(`SELECT ${USER_COLUMNS} FROM users u ORDER BY lower(u.name), u.id`);
  }

  usersByIds(ids: readonly string[]): Promise<UserRow[]> {
    return this.ds.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ANY($1::uuid[])`, [ids]);
  }

  /** People as the User type shows them (the loader behind every author, assignee, reviewer…). */
  userCardsByIds(ids: readonly string[]): Promise<UserCard[]> {
    return this.ds.query(`SELECT ${CARD_COLUMNS} FROM users u WHERE u.id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * The actor; with a session id, only while that session of theirs is live — not ended, within
   * the idle and absolute lifetimes (one statement either way).
   */
  async actorById(id: string, sessionId: string | null = null): Promise<ActorRow | null> {
    const rows = await this.ds.query(
      `SELECT ${USER_COLUMNS}, ${ACTOR_TEAMS}, s.last_used_at AS "sessionLastUsedAt" FROM users u
         LEFT JOIN sessions s ON s.id = $2::uuid AND s.user_id = u.id AND ${LIVE_SESSION_SQL}
        WHERE u.id = $1 AND ($2::uuid IS NULL OR s.id IS NOT NULL)`,
      [id, sessionId],
    );
    return rows[0] ?? null;
  }

  async insertSession(userId: string, ttlSeconds: number, client: { userAgent?: string | null; clientIp?: string | null } = {}): Promise<string> {
    const [{ id }] = await this.ds.query(
      `INSERT INTO sessions (user_id, expires_at, user_agent, client_ip) VALUES ($1, now() + make_interval(secs => $2), left($3, 512), left($4, 64)) RETURNING id`,
      [userId, ttlSeconds, client.userAgent ?? null, client.clientIp ?? null],
    );
    return id;
  }

  /** Ends the user's live sessions, all of them or all but `keep`; returns how many ended. */
  async endSessions(em: EntityManager, userId: string, reason: 'logout' | 'password-change', only: { id?: string; except?: string | null }): Promise<number> {
    const rows = await queryRows(
      em,
      `UPDATE sessions SET ended_at = now(), end_reason = $2
        WHERE user_id = $1 AND ended_at IS NULL AND ($3::uuid IS NULL OR id = $3::uuid) AND ($4::uuid IS NULL OR id <> $4::uuid) RETURNING id`,
      [userId, reason, only.id ?? null, only.except ?? null],
    );
    return rows.length;
  }

  async passwordHash(em: EntityManager, userId: string): Promise<string | null> {
    const row = await queryOne<{ passwordHash: string | null }>(em, `SELECT password_hash AS "passwordHash" FROM users WHERE id = $1 FOR UPDATE`, [userId]);
    return row?.passwordHash ?? null;
  }

  async setPasswordHash(em: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await em.query(`UPDATE users SET password_hash = $2, must_change_password = false, updated_at = now() WHERE id = $1`, [userId, passwordHash]);
  }

  async credentialsByEmail(email: string): Promise<(UserRow & { passwordHash: string | null }) | null> {
    const rows = await this.ds.query(`SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash" FROM users u WHERE lower(u.email) = lower($1)`, [email]);
    return rows[0] ?? null;
  }

  async emailTaken(em: EntityManager, email: string): Promise<boolean> {
    const rows = await em.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [email]);
    return rows.length > 0;
  }

  /** A user; without a password hash they sign in only through single sign-on (SCIM-provisioned people). */
  async insertUser(em: EntityManager, u: { email: string; name: string; role: Role; passwordHash: string | null; externalId?: string | null }): Promise<UserRow> {
    const [row] = await em.query(
      `INSERT INTO users AS u (email, name, role, password_hash, external_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${USER_COLUMNS}`,
      [u.email, u.name, u.role, u.passwordHash, u.externalId ?? null],
    );
    return row;
  }

  async lockUser(em: EntityManager, id: string): Promise<UserRow | null> {
    return queryOne(em, `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1 FOR UPDATE`, [id]);
  }

  async emailTakenByOther(em: EntityManager, id: string, email: string): Promise<boolean> {
    const rows = await em.query(`SELECT 1 FROM users WHERE lower(email) = lower($2) AND id <> $1`, [id, email]);
    return rows.length > 0;
  }

  async updateUserProfile(em: EntityManager, id: string, p: { name: string; email: string; externalId: string | null }): Promise<UserRow> {
    const row = await queryOne<UserRow>(em, `UPDATE users AS u SET name = $2, email = $3, external_id = $4, updated_at = now() WHERE u.id = $1 RETURNING ${USER_COLUMNS}`, [id, p.name, p.email, p.externalId]);
    if (!row) throw new Error(`user ${id} vanished while locked`);
    return row;
  }

  /** A new password hash, and whether it must be changed at the next sign-in (an ADMIN's reset) or not. */
  async resetPassword(em: EntityManager, id: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await em.query(`UPDATE users SET password_hash = $2, must_change_password = $3, updated_at = now() WHERE id = $1`, [id, passwordHash, mustChange]);
  }

  /** Unassigns every open action item of the user (deactivation); the trigger keeps who had each. */
  async unassignAllOpenItems(em: EntityManager, userId: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      em,
      `UPDATE action_items SET assignee_id = NULL, updated_at = now() WHERE assignee_id = $1 AND status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED') RETURNING id`,
      [userId],
    );
    return rows.map((r) => r.id);
  }

  async setUserActive(em: EntityManager, id: string, active: boolean): Promise<UserRow | null> {
    return queryOne(em, `UPDATE users AS u SET active = $2, updated_at = now() WHERE id = $1 RETURNING ${USER_COLUMNS}`, [id, active]);
  }

  async setUserRole(em: EntityManager, id: string, role: Role): Promise<UserRow | null> {
    return queryOne(em, `UPDATE users AS u SET role = $2, updated_at = now() WHERE id = $1 RETURNING ${USER_COLUMNS}`, [id, role]);
  }

  /** Locks the ADMIN rows so two concurrent demotions cannot both see "another ADMIN remains". */
  async lockActiveAdmins(em: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await em.query(`SELECT id FROM users WHERE role = 'ADMIN' AND active ORDER BY id FOR UPDATE`);
    return rows.map((r) => r.id);
  }

  async countActiveAdmins(em: EntityManager): Promise<number> {
    const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM users WHERE role = 'ADMIN' AND active`);
    return n;
  }

  listTeams(): Promise<TeamRow[]> {
    return this.ds.query(`SELECT ${TEAM_COLUMNS} FROM teams t ORDER BY lower(t.name)`);
  }

  teamsByIds(ids: readonly string[], em: EntityManager = this.ds.manager): Promise<TeamRow[]> {
    return em.query(`SELECT ${TEAM_COLUMNS} FROM teams t WHERE t.id = ANY($1::uuid[])`, [ids]);
  }

  /** Teams of each user (as member or manager), for User.teams. */
  teamsOfUsers(userIds: readonly string[]): Promise<(TeamRow & { userId: string })[]> {
    return this.ds.query(
      `SELECT DISTINCT m.user_id AS "userId", ${TEAM_COLUMNS}
         FROM (SELECT team_id, user_id FROM team_members WHERE user_id = ANY($1::uuid[])
               UNION SELECT id, manager_id FROM teams WHERE manager_id = ANY($1::uuid[])) m
         JOIN teams t ON t.id = m.team_id
        ORDER BY t.name`,
      [userIds],
    );
  }

  /** withStatus: also `active` and `mustChangePassword` (a thousand members' worth of columns otherwise read for nothing). */
  membersOfTeams(teamIds: readonly string[], withStatus: boolean): Promise<MemberRow[]> {
    return this.ds.query(
      `SELECT m.team_id AS "teamId", u.id, u.email, u.name, u.role${withStatus ? ', u.active, u.must_change_password AS "mustChangePassword"' : ''}
         FROM team_members m JOIN users u ON u.id = m.user_id
        WHERE m.team_id = ANY($1::uuid[]) ORDER BY lower(u.name)`,
      [teamIds],
    );
  }

  async teamNameOrSlugTaken(em: EntityManager, name: string, slug: string): Promise<'name' | 'slug' | null> {
    const rows: { name: string; slug: string }[] = await em.query(`SELECT name, slug FROM teams WHERE lower(name) = lower($1) OR slug = $2`, [name, slug]);
    if (rows.some((r) => r.name.toLowerCase() === name.toLowerCase())) return 'name';
    return rows.length ? 'slug' : null;
  }

  async teamNameTakenByOther(em: EntityManager, id: string, name: string): Promise<boolean> {
    const rows = await em.query(`SELECT 1 FROM teams WHERE lower(name) = lower($2) AND id <> $1`, [id, name]);
    return rows.length > 0;
  }

  async lockTeam(em: EntityManager, id: string): Promise<TeamRow | null> {
    return queryOne(em, `SELECT ${TEAM_COLUMNS} FROM teams t WHERE t.id = $1 FOR UPDATE`, [id]);
  }

  async updateTeam(em: EntityManager, id: string, t: { name: string; managerId: string | null }): Promise<TeamRow> {
    const row = await queryOne<TeamRow>(em, `UPDATE teams AS t SET name = $2, manager_id = $3 WHERE t.id = $1 RETURNING ${TEAM_COLUMNS}`, [id, t.name, t.managerId]);
    if (!row) throw new Error(`team ${id} vanished while locked`);
    return row;
  }

  /** Removes a membership; false when the user was not a member. */
  async removeMember(em: EntityManager, teamId: string, userId: string): Promise<boolean> {
    const rows = await queryRows(em, `DELETE FROM team_members WHERE team_id = $1 AND user_id = $2 RETURNING user_id`, [teamId, userId]);
    return rows.length > 0;
  }

  /** Unassigns the user's open action items owned by the team: they fall to the team (and its manager) again. */
  async unassignOpenItems(em: EntityManager, teamId: string, userId: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      em,
      `UPDATE action_items SET assignee_id = NULL, updated_at = now()
        WHERE owner_team_id = $1 AND assignee_id = $2 AND status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED') RETURNING id`,
      [teamId, userId],
    );
    return rows.map((r) => r.id);
  }

  async insertTeam(em: EntityManager, t: { name: string; slug: string; managerId: string | null }): Promise<TeamRow> {
    const [row] = await em.query(`INSERT INTO teams AS t (name, slug, manager_id) VALUES ($1, $2, $3) RETURNING ${TEAM_COLUMNS}`, [t.name, t.slug, t.managerId]);
    return row;
  }

  async addMembers(em: EntityManager, teamId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await em.query(`INSERT INTO team_members (team_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [teamId, userIds]);
  }

  async insertApiToken(em: EntityManager, t: { name: string; userId: string; tokenHash: string; prefix: string }): Promise<ApiTokenRow> {
    const [row] = await em.query(
      `INSERT INTO api_tokens (name, user_id, token_hash, prefix) VALUES ($1, $2, $3, $4)
       RETURNING id, name, user_id AS "userId", prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`,
      [t.name, t.userId, t.tokenHash, t.prefix],
    );
    return row;
  }

  listApiTokens(): Promise<ApiTokenRow[]> {
    return this.ds.query(
      `SELECT id, name, user_id AS "userId", prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM api_tokens ORDER BY created_at DESC`,
    );
  }

  async revokeApiToken(em: EntityManager, id: string): Promise<ApiTokenRow | null> {
    return queryOne(
      em,
      `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
       RETURNING id, name, user_id AS "userId", prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`,
      [id],
    );
  }

  /** The user behind a live API token; marks it used at most once a minute. */
  async userIdForApiToken(tokenHash: string): Promise<string | null> {
    const row = await queryOne<{ userId: string }>(
      this.ds,
      `UPDATE api_tokens SET last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < now() - interval '1 minute' THEN now() ELSE last_used_at END
        WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id AS "userId"`,
      [tokenHash],
    );
    return row?.userId ?? null;
  }

  /** Failures recorded for `key` in the current window (0 when the window has passed). */
  async loginFailures(key: string, windowSeconds: number): Promise<{ failures: number; retryAfterSeconds: number }> {
    const rows = await this.ds.query(
      `SELECT failures, ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now()))::int AS "retryAfterSeconds"
         FROM login_attempts WHERE key = $1 AND window_start > now() - make_interval(secs => $2)`,
      [key, windowSeconds],
    );
    return rows[0] ?? { failures: 0, retryAfterSeconds: 0 };
  }

  async recordLoginFailure(key: string, windowSeconds: number): Promise<void> {
    await this.ds.query(
      `INSERT INTO login_attempts (key, window_start, failures) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_attempts.window_start > now() - make_interval(secs => $2) THEN login_attempts.failures + 1 ELSE 1 END,
         window_start = CASE WHEN login_attempts.window_start > now() - make_interval(secs => $2) THEN login_attempts.window_start ELSE now() END`,
      [key, windowSeconds],
    );
  }

  async clearLoginFailures(key: string): Promise<void> {
    await this.ds.query(`DELETE FROM login_attempts WHERE key = $1`, [key]);
  }

  /** Deletes counters whose window has passed; returns how many. */
  async pruneLoginAttempts(windowSeconds: number): Promise<number> {
    const [{ n }] = await this.ds.query(
      `WITH gone AS (DELETE FROM login_attempts WHERE window_start <= now() - make_interval(secs => $1) RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [windowSeconds],
    );
    return n;
  }
}
