import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource, queryOne, queryRows } from '@hindsight/server-db';

export interface ScimUserRow { id: string; email: string; name: string; active: boolean; externalId: string | null; createdAt: Date; updatedAt: Date }
export interface ScimGroupRow { id: string; name: string; externalId: string | null; createdAt: Date; members: { id: string; name: string }[] }

const USER = `u.id, u.email, u.name, u.active, u.external_id AS "externalId", u.created_at AS "createdAt", u.updated_at AS "updatedAt"`;
const GROUP = `t.id, t.name, t.external_id AS "externalId", t.created_at AS "createdAt",
  coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY lower(u.name)) FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = t.id), '[]') AS members`;

// userName is the e-mail, compared in its normalised form (the service normalises the filter's value).
const USER_FILTERS = { userName: 'u.email = $1', externalId: 'u.external_id = $1', id: 'u.id::text = $1' } as const;
const GROUP_FILTERS = { displayName: 'lower(t.name) = lower($1)', externalId: 't.external_id = $1', id: 't.id::text = $1' } as const;
export type ScimUserFilter = keyof typeof USER_FILTERS;
export type ScimGroupFilter = keyof typeof GROUP_FILTERS;

/** The reads SCIM needs (filtered, paged users and teams with members) and team external ids. */
@Injectable()
export class ScimRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async users(filter: { attribute: ScimUserFilter; value: string } | null, offset: number, limit: number): Promise<{ rows: ScimUserRow[]; total: number }> {
    const where = filter ? `WHERE ${USER_FILTERS[filter.attribute]}` : 'WHERE $1::text IS NULL';
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM users u ${where}`, [filter?.value ?? null]);
    const rows = await this.ds.query(`SELECT ${USER} FROM users u ${where} ORDER BY u.created_at, u.id OFFSET $2 LIMIT $3`, [filter?.value ?? null, offset, limit]);
    return { rows, total };
  }

  user(id: string, em: EntityManager | DataSource = this.ds): Promise<ScimUserRow | null> {
    return queryOne(em, `SELECT ${USER} FROM users u WHERE u.id = $1`, [id]);
  }

  async userIdByExternalId(em: EntityManager, externalId: string): Promise<string | null> {
    return (await queryOne<{ id: string }>(em, `SELECT id FROM users WHERE external_id = $1`, [externalId]))?.id ?? null;
  }

  async groups(filter: { attribute: ScimGroupFilter; value: string } | null, offset: number, limit: number): Promise<{ rows: ScimGroupRow[]; total: number }> {
    const where = filter ? `WHERE ${GROUP_FILTERS[filter.attribute]}` : 'WHERE $1::text IS NULL';
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM teams t ${where}`, [filter?.value ?? null]);
    const rows = await this.ds.query(`SELECT ${GROUP} FROM teams t ${where} ORDER BY t.created_at, t.id OFFSET $2 LIMIT $3`, [filter?.value ?? null, offset, limit]);
    return { rows, total };
  }

  group(id: string, em: EntityManager | DataSource = this.ds): Promise<ScimGroupRow | null> {
    return queryOne(em, `SELECT ${GROUP} FROM teams t WHERE t.id = $1`, [id]);
  }

  async teamIdByExternalId(em: EntityManager, externalId: string): Promise<string | null> {
    return (await queryOne<{ id: string }>(em, `SELECT id FROM teams WHERE external_id = $1`, [externalId]))?.id ?? null;
  }

  async setTeamExternalId(em: EntityManager, teamId: string, externalId: string | null): Promise<void> {
    await em.query(`UPDATE teams SET external_id = $2 WHERE id = $1`, [teamId, externalId]);
  }

  async memberIds(em: EntityManager, teamId: string): Promise<string[]> {
    return (await queryRows<{ userId: string }>(em, `SELECT user_id AS "userId" FROM team_members WHERE team_id = $1`, [teamId])).map((r) => r.userId);
  }

  /** The ids among `ids` that are not users (malformed ones included). */
  async unknownUserIds(em: EntityManager, ids: readonly string[]): Promise<string[]> {
    const uuids = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
    const found = new Set((await queryRows<{ id: string }>(em, `SELECT id::text FROM users WHERE id = ANY($1::uuid[])`, [uuids])).map((r) => r.id));
    return ids.filter((id) => !found.has(id));
  }
}
