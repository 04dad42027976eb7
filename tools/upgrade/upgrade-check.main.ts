// `npm run test:upgrade`: the previous release's API serves test traffic while this checkout's
// migrations are applied; exits non-zero on any failed request (docs/upgrading.md).
import 'reflect-metadata';
import { checkoutRelease, previousRelease, runUpgradeCheck } from './upgrade-check';

async function main(): Promise<void> {
  const base = previousRelease();
  console.log(`upgrade check: previous release ${base.commit.slice(0, 10)} (${base.how})`);
  const release = checkoutRelease(base.commit);
  try {
    const started = Date.now();
    const result = await runUpgradeCheck(release.root, { log: (line) => console.log(`upgrade check: ${line}`) });
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (result.failures.length) {
      console.log(`upgrade check: FAIL: ${result.failures.length} of ${result.requests} requests failed (${seconds} s). The new migrations break the previous release:`);
      for (const f of result.failures.slice(0, 20)) console.log(`  - ${f}`);
      console.log('Split the change: expand now (add, never drop or rename), contract in a later release (docs/upgrading.md).');
      process.exitCode = 1;
    } else {
      console.log(`upgrade check: PASS: ${result.requests} requests, ${result.afterMigration} after the migrations, none failed (${seconds} s)`);
    }
  } finally {
    release.remove();
  }
}

main().catch((e: unknown) => {
  console.error(`upgrade check: ${(e as Error).message}`);
  process.exit(1);
});
