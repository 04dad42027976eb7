// `npm run import:public -- <path-to-jsonl>`: imports a public postmortem collection (the
// format of /work/shared/data/public-postmortems.jsonl) as IMPORT incidents through the API's
// import service, as the administrator (see seed.main.ts). Safe to run again.
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { loadConfig } from '@hindsight/server-config';
import { importPublicPostmortems } from './public-postmortems.import';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path || !existsSync(path)) throw new Error(`usage: npm run import:public -- <path-to-jsonl>${path ? ` (no file at ${path})` : ''}`);
  await importPublicPostmortems(loadConfig({ LOG_LEVEL: 'warn', ...process.env }), path);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`import failed: ${(e as Error).message}`);
    process.exit(1);
  },
);
