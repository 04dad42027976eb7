import { ROOT, runUpgradeCheck } from './upgrade-check';

/*
 * The upgrade check catches a migration that breaks the running release: with this checkout
 * as the "previous release" (so no git history is needed), a harmless change passes and a
 * renamed column the running API reads fails it.
 */

it('passes when the schema change is additive', async () => {
  const result = await runUpgradeCheck(ROOT, { extraSql: `ALTER TABLE incidents ADD COLUMN upgrade_check_note text` });
  expect(result.failures).toEqual([]);
  expect(result.afterMigration).toBeGreaterThanOrEqual(60);
}, 240_000);

it('fails when a migration renames a column the running release reads', async () => {
  const result = await runUpgradeCheck(ROOT, { extraSql: `ALTER TABLE incidents RENAME COLUMN title TO headline` });
  expect(result.failures.length).toBeGreaterThan(0);
  expect(result.failures.join('\n')).toMatch(/title/);
}, 240_000);
