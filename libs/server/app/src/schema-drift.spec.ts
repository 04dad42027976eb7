import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printApiSchema } from './schema.printer';

/*
 * The committed schema (read by the web app's code generator and the contract check) is
 * exactly what the resolvers build: a resolver change without `npm run schema:write` fails.
 */

const SCHEMA_FILE = join(__dirname, '..', '..', '..', 'shared', 'schema', 'schema.gql');

it('libs/shared/schema/schema.gql matches the schema the code builds', async () => {
  const built = await printApiSchema();
  const committed = readFileSync(SCHEMA_FILE, 'utf8');
  if (committed !== built) {
    throw new Error('libs/shared/schema/schema.gql is out of date with the resolvers: run `npm run schema:write` and commit the result.');
  }
  expect(built).toContain('type Query');
  expect(built).toContain('login(email: String!, password: String!): AuthPayload!');
});
