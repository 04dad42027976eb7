import type { DataSource, EntityManager } from 'typeorm';

export type Executor = Pick<EntityManager, 'query'> | Pick<DataSource, 'query'>;

/**
 * Rows of any statement. TypeORM answers UPDATE/DELETE with `[rows, rowCount]` and other
 * statements with `rows`; repositories should not have to remember which.
 */
export async function queryRows<T>(db: Executor, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

export async function queryOne<T>(db: Executor, sql: string, params: unknown[] = []): Promise<T | null> {
  const rows = await queryRows<T>(db, sql, params);
  return rows[0] ?? null;
}

/**
 * The row a statement must return (an INSERT … RETURNING, an UPDATE of a row locked before,
 * a row its transaction knows exists): none is a bug, thrown with `missing` as its message,
 * not a null for each caller to check.
 */
export async function queryReturned<T>(db: Executor, sql: string, params: unknown[], missing: string): Promise<T> {
  const row = await queryOne<T>(db, sql, params);
  if (!row) throw new Error(missing);
  return row;
}

/** A WHERE clause built from optional filters, with numbered parameters ($1, $2, ...). */
export class SqlConditions {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(sql: string): void {
    this.parts.push(sql);
  }

  get where(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
