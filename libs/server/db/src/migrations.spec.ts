import { randomBytes } from 'node:crypto';
import { withDatabase } from './database-admin';
import { DECLARED_FUNCTIONS } from './declared-functions';
import { migrateDatabase, revertLastMigration } from './migrate';
import { MIGRATIONS } from './migrations';
import { TEST_SERVER_URL, withClient } from './testing';

/*
 * Every registered migration, up, all the way down, and up again on a fresh empty database:
 * each down() must undo its up() completely, and the second up must rebuild exactly the
 * same schema. Migrations added later are covered by iterating the registered list.
 */

const NAME = `hindsight_mig_${process.pid}_${randomBytes(4).toString('hex')}`;
const URL = withDatabase(TEST_SERVER_URL, NAME);

/** Everything our migrations create in the public schema, except TypeORM's own bookkeeping. */
async function schemaSnapshot(): Promise<{ objects: string[]; columns: string[]; indexes: string[]; constraints: string[] }> {
  return withClient(URL, async (c) => {
    const list = async (sql: string) => (await c.query<{ v: string }>(sql)).rows.map((r) => r.v);
    return {
      // Extensions are left out: TypeORM itself installs uuid-ossp when it connects.
      objects: await list(`
        SELECT c.relkind::text || ' ' || c.relname AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relname NOT LIKE 'migrations%'
           AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indexrelid = c.oid AND i.indrelid = 'migrations'::regclass)
        UNION ALL SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        UNION ALL SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
        ORDER BY 1`),
      columns: await list(`
        SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS v
          FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`),
      indexes: await list(`SELECT indexdef AS v FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`),
      constraints: await list(`
        SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS v FROM pg_constraint
         WHERE connamespace = 'public'::regnamespace AND conrelid <> 0 AND conrelid::regclass::text <> 'migrations' ORDER BY 1`),
    };
  });
}

// Each migration runs up, down and up again, so the budget grows with the list: a flat 30 s was
// about its run time on a busy two-core machine (23 s at load 6, 38 migrations). The test
// environment still multiplies it by its load factor, as it does every timeout.
const TIMEOUT_MS = 30_000 + MIGRATIONS.length * 1_500;

const appliedMigrations = () => withClient(URL, async (c) => (await c.query<{ name: string }>('SELECT name FROM migrations ORDER BY id')).rows.map((r) => r.name));

afterAll(async () => {
  await withClient(TEST_SERVER_URL, (c) => c.query(`DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`));
});

it('migrates up, all the way down and up again, leaving the same schema', async () => {
  expect(MIGRATIONS.length).toBeGreaterThan(0);
  const names = MIGRATIONS.map((m) => new m().name ?? m.name);

  const declared = DECLARED_FUNCTIONS.map((f) => f.signature);
  const first = await migrateDatabase(URL);
  expect(first).toEqual({ created: true, applied: names, functions: declared, rebuilt: [] });
  const migrated = await schemaSnapshot();
  for (const table of ['users', 'teams', 'team_members', 'api_tokens', 'audit_log', 'login_attempts', 'incidents', 'postmortems', 'action_items']) {
    expect(migrated.objects).toContain(`r ${table}`);
  }
  // Running again is a no-op.
  expect(await migrateDatabase(URL)).toEqual({ created: false, applied: [], functions: [], rebuilt: [] });

  for (let left = MIGRATIONS.length - 1; left >= 0; left -= 1) {
    await revertLastMigration(URL);
    expect(await appliedMigrations()).toEqual(names.slice(0, left));
  }
  const empty = await schemaSnapshot();
  expect(empty).toEqual({ objects: [], columns: [], indexes: [], constraints: [] });

  const again = await migrateDatabase(URL);
  expect(again).toEqual({ created: false, applied: names, functions: declared, rebuilt: [] });
  expect(await schemaSnapshot()).toEqual(migrated);
}, TIMEOUT_MS);
