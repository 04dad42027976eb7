/**
 * Rows written straight into a test database, for tests below the API (a module, a worker, a
 * repository) or for states the API will not make (a postmortem overdue for a week, an item
 * past its date): one call per row, defaults for every required column, any column overridden.
 * Bulk data (thousands of rows) stays a `generate_series` statement in its spec.
 */

/** pg's Client or Pool, or anything that answers `query` the same way. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A moment: a Date, an ISO timestamp, or days from the database's now() (negative: ago). */
export type When = Date | string | { days: number };

/** `days` from the database's now(); `daysAgo(2)` is two days ago. */
export const daysFromNow = (days: number): When => ({ days });
export const daysAgo = (days: number): When => ({ days: -days });

type Columns = Record<string, unknown>;

function isWhen(v: unknown): v is { days: number } {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && typeof (v as { days?: unknown }).days === 'number';
}

let counter = 0;
const next = (): number => ++counter;

export class Rows {
  constructor(private readonly db: Queryable) {}

  /** INSERT … RETURNING `returning` ('*' for a table without an id): `{ days }` values become `now() + n days` in the database. */
  async insert<T = Record<string, unknown>>(table: string, columns: Columns, returning = 'id'): Promise<T> {
    const names: string[] = [];
    const values: string[] = [];
    const params: unknown[] = [];
    for (const [name, value] of Object.entries(columns)) {
      if (value === undefined) continue;
      names.push(name);
      if (isWhen(value)) {
        params.push(value.days);
        values.push(`now() + $${params.length} * interval '1 day'`);
      } else {
        params.push(value);
        values.push(`$${params.length}`);
      }
    }
    const { rows } = await this.db.query(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${values.join(', ')}) RETURNING ${returning}`, params);
    return rows[0] as T;
  }

  /** A RESOLVED SEV2 incident that started two days ago (no postmortem row: the API makes that). */
  incident(columns: { title?: string; summary?: string | null; severity?: string; status?: string; started_at?: When; resolved_at?: When | null; commander_id?: string | null } & Columns = {}): Promise<{ id: string; number: number }> {
    return this.insert('incidents', { title: `Incident ${next()}`, severity: 'SEV2', status: 'RESOLVED', started_at: daysAgo(2), ...columns }, 'id, number');
  }

  /** A P2 PREVENT item of the incident, due in a week. */
  actionItem(columns: { incident_id: string; owner_team_id: string; title?: string; kind?: string; priority?: string; due_at?: When; status?: string; assignee_id?: string | null } & Columns): Promise<{ id: string; due_at: Date }> {
    return this.insert('action_items', { title: `Action item ${next()}`, kind: 'PREVENT', priority: 'P2', due_at: daysFromNow(7), ...columns }, 'id, due_at');
  }

  /** The incident's postmortem, a DRAFT due in a week. */
  postmortem(columns: { incident_id: string; status?: string; due_at?: When } & Columns): Promise<{ id: string; due_at: Date }> {
    return this.insert('postmortems', { due_at: daysFromNow(7), ...columns }, 'id, due_at');
  }

  /** A team (its slug from the name). */
  async team(columns: { name?: string; slug?: string; manager_id?: string | null } & Columns = {}): Promise<string> {
    const name = columns.name ?? `Team ${next()}`;
    const slug = columns.slug ?? name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return (await this.insert<{ id: string }>('teams', { ...columns, name, slug })).id;
  }

  /** A tier-1 API service of the team. */
  async service(columns: { team_id: string; name?: string; kind?: string; tier?: number } & Columns): Promise<string> {
    return (await this.insert<{ id: string }>('services', { name: `service-${next()}`, kind: 'API', tier: 1, ...columns })).id;
  }

  /** A person without a password (signs in through SSO only), VIEWER unless said otherwise. */
  async user(columns: { email?: string; name?: string; role?: string } & Columns = {}): Promise<string> {
    const n = next();
    return (await this.insert<{ id: string }>('users', { email: `person-${n}@rows.test`, name: `Person ${n}`, role: 'VIEWER', ...columns })).id;
  }
}
