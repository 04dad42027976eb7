import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ApiTokenScope, Role } from '@hindsight/domain';
import { InjectDataSource, queryOne, queryReturned, queryRows } from '@hindsight/server-db';
import { LIVE_SESSION_SQL } from './sessions.repository';

export interface UserRow { id: string; email: string; name: string; role: Role; active: boolean; createdAt: Date; updatedAt: Date; externalId: string | null; mustChangePassword: boolean }
export interface TeamRow { id: string; name: string; slug: string; managerId: string | null; createdAt: Date }
/** What the GraphQL User type shows: what a page of people reads (no timestamps to parse for nothing). */
export type UserCard = Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'active' | 'mustChangePassword'>;
export interface ActorRow extends UserRow { teamIds: string[]; sessionLastUsedAt: Date | null }
/** A member of a team; the status fields only when asked for (membersOfTeams). */
export type MemberRow = Omit<UserCard, 'active' | 'mustChangePassword'> & Partial<Pick<UserCard, 'active' | 'mustChangePassword'>> & { teamId: string };
export interface ApiTokenRow { id: string; name: string; userId: string; prefix: string; scope: ApiTokenScope; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null }
/** The token an Authorization header names, live or not (a refused one is audited). */
export interface PresentedApiToken { id: string; userId: string; scope: ApiTokenScope; expiresAt: Date | null; state: 'live' | 'revoked' | 'expired' }
/** A sign-in counter as the limiter reads it (see SIGN_IN_LIMITS). */
export interface SignInCounterRow { key: string; failures: number; windowStart: Date; lastAttemptAt: Date }
/** An account whose address collided with another's when addresses were normalised (migration IdentityHardening1796100000000). */
export interface EmailConflictRow { userId: string; email: string; name: string; role: Role; active: boolean; normalisedEmail: string }

const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.active, u.created_at AS "createdAt", u.updated_at AS "updatedAt", u.external_id AS "externalId", u.must_change_password AS "mustChangePassword"`;
const CARD_COLUMNS = `u.id, u.email, u.name, u.role, u.active, u.must_change_password AS "mustChangePassword"`;
const API_TOKEN_COLUMNS = `id, name, user_id AS "userId", prefix, scope, created_at AS "createdAt", expires_at AS "expiresAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;
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

  /** Serialises the first-ADMIN bootstrap of API processes starting together, for the rest of the transaction. */
  async lockUserBootstrap(em: EntityManager): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock(7213)');
  }

  /** Those of `ids` that name a user (active or not). */
  async existingUserIds(em: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    const rows: { id: string }[] = await em.query(`SELECT id FROM users WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
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

  /**
   * The account with exactly this normalised address, its password hash, and whether it signed
   * in from `clientIp` within `familiarDays` (then the account-wide back-off does not slow it).
   */
  async credentialsByEmail(email: string, clientIp: string, familiarDays: number): Promise<(UserRow & { passwordHash: string | null; familiar: boolean }) | null> {
    return queryOne(
      this.ds,
      `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash",
              EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.client_ip = left($2, 64) AND s.created_at > now() - make_interval(days => $3)) AS familiar
         FROM users u WHERE u.email = $1`,
      [email, clientIp, familiarDays],
    );
  }

  /** The active account with exactly this normalised address (chat people are matched by it). */
  activeUserByEmail(email: string): Promise<UserRow | null> {
    return queryOne(this.ds, `SELECT ${USER_COLUMNS} FROM users u WHERE u.email = $1 AND u.active`, [email]);
  }

  /** Whether a normalised address is taken: by an account, or by accounts that collided on it and await an ADMIN. */
  async emailTaken(em: EntityManager, email: string, exceptUserId: string | null = null): Promise<boolean> {
    const rows = await em.query(
      `SELECT 1 FROM users WHERE email = $1 AND id IS DISTINCT FROM $2::uuid
       UNION ALL SELECT 1 FROM user_email_conflicts WHERE normalised_email = $1 AND user_id IS DISTINCT FROM $2::uuid LIMIT 1`,
      [email, exceptUserId],
    );
    return rows.length > 0;
  }

  /** A sign-in with a password that no longer follows the rule for new ones: it must be changed first. */
  async requirePasswordChange(id: string): Promise<boolean> {
    const rows = await queryRows(this.ds, `UPDATE users SET must_change_password = true, updated_at = now() WHERE id = $1 AND NOT must_change_password RETURNING id`, [id]);
    return rows.length > 0;
  }

  /**
   * Every account listed as colliding on a normalised address, with its current address; one
   * transaction at a time settles them (several API processes start together).
   */
  async lockEmailConflicts(em: EntityManager): Promise<EmailConflictRow[]> {
    await em.query('SELECT pg_advisory_xact_lock(7214)');
    return queryRows(
      em,
      `SELECT c.user_id AS "userId", u.email, u.name, u.role, u.active, c.normalised_email AS "normalisedEmail"
         FROM user_email_conflicts c JOIN users u ON u.id = c.user_id ORDER BY c.normalised_email, u.created_at, u.id`,
    );
  }

  async inEmailConflict(em: EntityManager, userId: string): Promise<boolean> {
    return (await em.query(`SELECT 1 FROM user_email_conflicts WHERE user_id = $1`, [userId])).length > 0;
  }

  async dropEmailConflicts(em: EntityManager, userIds: readonly string[]): Promise<void> {
    if (userIds.length) await em.query(`DELETE FROM user_email_conflicts WHERE user_id = ANY($1::uuid[])`, [userIds]);
  }

  async setEmail(em: EntityManager, id: string, email: string): Promise<void> {
    await em.query(`UPDATE users SET email = $2, updated_at = now() WHERE id = $1`, [id, email]);
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

  async updateUserProfile(em: EntityManager, id: string, p: { name: string; email: string; externalId: string | null }): Promise<UserRow> {
    return queryReturned<UserRow>(em, `UPDATE users AS u SET name = $2, email = $3, external_id = $4, updated_at = now() WHERE u.id = $1 RETURNING ${USER_COLUMNS}`, [id, p.name, p.email, p.externalId], `user ${id} vanished while locked`);
  }

  /** A new password hash, and whether it must be changed at the next sign-in (an ADMIN's reset) or not. */
  async resetPassword(em: EntityManager, id: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await em.query(`UPDATE users SET password_hash = $2, must_change_password = $3, updated_at = now() WHERE id = $1`, [id, passwordHash, mustChange]);
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
    return queryReturned<TeamRow>(em, `UPDATE teams AS t SET name = $2, manager_id = $3 WHERE t.id = $1 RETURNING ${TEAM_COLUMNS}`, [id, t.name, t.managerId], `team ${id} vanished while locked`);
  }

  /** Removes a membership; false when the user was not a member. */
  async removeMember(em: EntityManager, teamId: string, userId: string): Promise<boolean> {
    const rows = await queryRows(em, `DELETE FROM team_members WHERE team_id = $1 AND user_id = $2 RETURNING user_id`, [teamId, userId]);
    return rows.length > 0;
  }

  async insertTeam(em: EntityManager, t: { name: string; slug: string; managerId: string | null }): Promise<TeamRow> {
    const [row] = await em.query(`INSERT INTO teams AS t (name, slug, manager_id) VALUES ($1, $2, $3) RETURNING ${TEAM_COLUMNS}`, [t.name, t.slug, t.managerId]);
    return row;
  }

  async addMembers(em: EntityManager, teamId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await em.query(`INSERT INTO team_members (team_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [teamId, userIds]);
  }

  async insertApiToken(em: EntityManager, t: { name: string; userId: string; tokenHash: string; prefix: string; scope: ApiTokenScope; expiresAt: Date | null }): Promise<ApiTokenRow> {
    const [row] = await em.query(
      `INSERT INTO api_tokens (name, user_id, token_hash, prefix, scope, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${API_TOKEN_COLUMNS}`,
      [t.name, t.userId, t.tokenHash, t.prefix, t.scope, t.expiresAt],
    );
    return row;
  }

  /** Every token, or those acting as `ownerId`; newest first. */
  listApiTokens(ownerId: string | null = null): Promise<ApiTokenRow[]> {
    return this.ds.query(`SELECT ${API_TOKEN_COLUMNS} FROM api_tokens WHERE $1::uuid IS NULL OR user_id = $1 ORDER BY created_at DESC, id`, [ownerId]);
  }

  /** Revokes a token (of `ownerId` only, when given); null when there is no such token. */
  async revokeApiToken(em: EntityManager, id: string, ownerId: string | null = null): Promise<ApiTokenRow | null> {
    return queryOne(em, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2) RETURNING ${API_TOKEN_COLUMNS}`, [id, ownerId]);
  }

  /**
   * The token behind a hash, whatever its state; a live one is marked used, at most once a
   * minute (an unchanged row is not rewritten on every request).
   */
  async presentedApiToken(tokenHash: string): Promise<PresentedApiToken | null> {
    return queryOne<PresentedApiToken>(
      this.ds,
      `WITH t AS (
         SELECT id, user_id, scope, expires_at, CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at <= now() THEN 'expired' ELSE 'live' END AS state
           FROM api_tokens WHERE token_hash = $1),
       touched AS (
         UPDATE api_tokens a SET last_used_at = now() FROM t
          WHERE a.id = t.id AND t.state = 'live' AND (a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute') RETURNING a.id)
       SELECT t.id, t.user_id AS "userId", t.scope, t.expires_at AS "expiresAt", t.state FROM t`,
      [tokenHash],
    );
  }

  // ------------------------------------------------------------ sign-in counters (SIGN_IN_LIMITS)

  /** The counters of one attempt, created when missing and locked until the transaction ends. */
  async lockSignInCounters(em: EntityManager, keys: readonly string[]): Promise<{ now: Date; counters: Map<string, SignInCounterRow> }> {
    const sorted = [...keys].sort();
    await em.query(`INSERT INTO login_attempts (key, window_start, failures) SELECT k, now(), 0 FROM unnest($1::text[]) k ORDER BY k ON CONFLICT (key) DO NOTHING`, [sorted]);
    const rows = await queryRows<SignInCounterRow & { now: Date }>(
      em,
      `SELECT key, failures, window_start AS "windowStart", last_attempt_at AS "lastAttemptAt", now() AS now FROM login_attempts WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`,
      [sorted],
    );
    return { now: rows[0]?.now ?? new Date(), counters: new Map(rows.map((r) => [r.key, r])) };
  }

  /** Counts one more attempt (a failure until the password proves right) under each key; returns the failures after it. */
  async reserveSignIn(em: EntityManager, keys: readonly string[], windowSeconds: number): Promise<Map<string, number>> {
    const rows = await queryRows<{ key: string; failures: number }>(
      em,
      `UPDATE login_attempts SET
         failures = CASE WHEN window_start > now() - make_interval(secs => $2) THEN failures + 1 ELSE 1 END,
         window_start = CASE WHEN window_start > now() - make_interval(secs => $2) THEN window_start ELSE now() END,
         last_attempt_at = now()
        WHERE key = ANY($1::text[]) RETURNING key, failures`,
      [[...keys], windowSeconds],
    );
    return new Map(rows.map((r) => [r.key, r.failures]));
  }

  /** Takes back one reserved attempt under each key (it turned out right, or was never checked). */
  async releaseSignIn(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.ds.query(`UPDATE login_attempts SET failures = greatest(failures - 1, 0) WHERE key = ANY($1::text[])`, [[...keys]]);
  }

  /** Forgets counters entirely (a successful sign-in ends its (account, address) lock count). */
  async clearSignInCounters(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.ds.query(`DELETE FROM login_attempts WHERE key = ANY($1::text[])`, [[...keys]]);
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
