// `npm run db:migrate [-- --revert]`: applies (or reverts the last of) the migrations to
// DATABASE_MIGRATION_URL (a direct connection, when DATABASE_URL goes through a pooler) or DATABASE_URL.
import 'reflect-metadata';
import { loadConfig, ConfigError } from '@hindsight/server-config';
import { migrateDatabase, revertLastMigration } from './migrate';
import { databaseName } from './database-admin';

async function main(): Promise<void> {
  const { databaseMigrationUrl: databaseUrl } = loadConfig();
  const where = databaseName(databaseUrl);
  if (process.argv.includes('--revert')) {
    await revertLastMigration(databaseUrl);
    console.log(`db:migrate: reverted the last migration of "${where}"`);
    return;
  }
  const report = await migrateDatabase(databaseUrl);
  if (report.created) console.log(`db:migrate: created database "${where}"`);
  if (report.applied.length) console.log(`db:migrate: applied ${report.applied.join(', ')}`);
  if (report.functions.length) console.log(`db:migrate: applied the declared functions ${report.functions.join(', ')}${report.rebuilt.length ? `; rebuilt ${report.rebuilt.join(', ')}` : ''}`);
  if (!report.applied.length && !report.functions.length) console.log(`db:migrate: "${where}" is up to date`);
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : `db:migrate failed: ${(e as Error).message}`);
  process.exit(1);
});
