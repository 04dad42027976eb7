import { badInput } from './errors';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput('first', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/** Opaque cursors: base64url of a JSON tuple of the sort keys of the last row. */
export function encodeCursor(keys: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arity: number): (string | number)[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const keys: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(keys) && keys.length === arity && keys.every((k) => typeof k === 'string' || typeof k === 'number')) return keys;
  } catch {
    // fall through to the error below
  }
  throw badInput('after', 'is not a cursor from this list: pass pageInfo.endCursor of the previous page');
}
