// `npm run seed`: the demo organisation — users of each role (password demo-password),
// teams, services with SLOs and a year of incidents, postmortems and action items — created
// through the API in-process (demo.seed.ts). Idempotent: run it as often as you like.
// It acts as the administrator from HINDSIGHT_ADMIN_EMAIL (created on first start when the
// database has no user; tools/up.sh sets it), or else as the oldest active ADMIN.
import 'reflect-metadata';
import { loadConfig } from '@hindsight/server-config';
import { seedDemo } from './demo.seed';

export { DEMO_PASSWORD } from './demo.catalog';

async function main(): Promise<void> {
  // The API runs in this process only to apply its rules; its request log would be noise.
  await seedDemo(loadConfig({ LOG_LEVEL: 'warn', ...process.env }));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`seed failed: ${(e as Error).message}`);
    process.exit(1);
  },
);
