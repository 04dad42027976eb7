// `npm run schema:write` writes the API's sorted schema to libs/shared/schema/schema.gql;
// `npm run schema:check` fails when the committed file differs from what the code builds.
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printApiSchema } from '@hindsight/server-app';

const FILE = join(__dirname, '..', '..', 'libs', 'shared', 'schema', 'schema.gql');

async function main(): Promise<void> {
  const sdl = await printApiSchema();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(FILE, 'utf8');
    } catch {
      // missing counts as drift
    }
    if (committed !== sdl) {
      console.error('schema.gql is out of date with the code: run `npm run schema:write` and commit the result.');
      process.exit(1);
    }
    console.log('schema.gql matches the code');
    return;
  }
  writeFileSync(FILE, sdl);
  console.log(`wrote ${FILE}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
