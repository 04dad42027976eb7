import { Client } from 'pg';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates the database named in `url` when it does not exist yet (connects to `postgres`).
 * A database that answers is left alone without asking `postgres`, which a pooler (PgBouncer
 * lists only the databases it serves) or a managed service may not let us reach.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  if (!IDENT.test(name)) throw new Error(`database name "${name}" must be lower-case letters, digits and _`);
  const probe = new Client({ connectionString: url });
  const exists = await probe.connect().then(
    () => true,
    (e: { code?: string }) => {
      // 3D000: no such database; anything else (refused, bad password) is for the caller to hear.
      if (e.code !== '3D000') throw e;
      return false;
    },
  );
  await probe.end().catch(() => undefined);
  if (exists) return false;
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } catch (e) {
      // Another process created it between our check and our create.
      if ((e as { code?: string }).code !== '42P04') throw e;
      return false;
    }
    return true;
  } finally {
    await admin.end();
  }
}

export { withDatabase };
