import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { DocumentNode, GraphQLSchema, NoSchemaIntrospectionCustomRule, parse, print, specifiedRules, validate } from 'graphql';
import { DEFAULT_GRAPHQL_LIMITS as LIMITS } from '@hindsight/server-config';
import { checkDocument, checkSource, inlinePlainFields, operationCost } from '@hindsight/server-graphql';
import { DEFAULT_LIST_SIZE } from './api.module';
import { buildApiSchema } from './schema.printer';

/*
 * No page of the web app may be refused by the request limits at their defaults: every
 * document it sends (as Apollo Client sends it, with __typename added) passes the size, token
 * and shape limits, validates in production (no introspection), and costs less than the limit
 * at the largest page size (100) and the longest text (100 kB) its variables may carry.
 */

// Read as data (the server may not import the web app): one `export const XDocument = {…} as unknown as DocumentNode<…>` per line.
const GENERATED = join(__dirname, '..', '..', '..', 'web', 'data-access', 'src', 'generated', 'graphql.ts');
const documents = [...readFileSync(GENERATED, 'utf8').matchAll(/^export const (\w+)Document = (\{.*\}) as unknown as DocumentNode</gm)]
  .map(([, name, ast]) => [name!, print(addTypenameToDocument(JSON.parse(ast!) as DocumentNode))] as const);

let schema: GraphQLSchema;

beforeAll(async () => {
  schema = inlinePlainFields(await buildApiSchema());
});

it('finds the web app\'s documents', () => {
  expect(documents.length).toBeGreaterThan(90);
});

it.each(documents)('%s passes every limit', (_name, source) => {
  checkSource(source, LIMITS);
  const document = parse(source);
  checkDocument(document, LIMITS);
  expect(validate(schema, document, [...specifiedRules, NoSchemaIntrospectionCustomRule])).toEqual([]);
  const { cost } = operationCost(schema, document, { defaultListSize: DEFAULT_LIST_SIZE, variables: { first: 100, text: 'x'.repeat(100_000) } });
  expect(cost).toBeLessThanOrEqual(LIMITS.cost);
});
