import { GraphQLSchema, parse } from 'graphql';
import { DEFAULT_GRAPHQL_LIMITS as LIMITS } from '@hindsight/server-config';
import { AppError } from '@hindsight/server-common';
import { checkDocument, inlinePlainFields, operationCost } from '@hindsight/server-graphql';
import { DEFAULT_LIST_SIZE } from './api.module';
import { buildApiSchema } from './schema.printer';

/*
 * The fields that do more than read a row, priced by what they cost (docs/security.md, "Cost";
 * issue 22's probe measured them at 200,000 incidents): an aliased flood of any of them is
 * refused before it runs, by the alias limit or the cost limit, and so is a list that asks for
 * one per row. The refusal is the request guard's (request.guard.ts) on these same checks.
 */

let schema: GraphQLSchema;

beforeAll(async () => {
  schema = inlinePlainFields(await buildApiSchema());
});

/** What the guard answers a document with these variables: the limit code, or null when it would run. */
function refusal(source: string, variables: Record<string, unknown> = {}): string | null {
  const document = parse(source);
  try {
    checkDocument(document, LIMITS);
  } catch (e) {
    return (e as AppError).code;
  }
  const { cost } = operationCost(schema, document, { defaultListSize: DEFAULT_LIST_SIZE, variables });
  return cost > LIMITS.cost ? 'QUERY_TOO_COMPLEX' : null;
}

const aliased = (n: number, field: string, head: string) => `${head} { ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const ID = '"00000000-0000-4000-8000-000000000000"';
const PERIOD = '{ from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }';

const DEAR: [string, string, string][] = [
  ['search', 'search(query: "database", first: 50) { id snippet }', 'query F'],
  ['Incident.similar', `incident(id: ${ID}) { similar { score } }`, 'query F'],
  ['incidents(filter.search)', 'incidents(filter: { search: "database" }) { nodes { id } }', 'query F'],
  ['runbooks(search)', 'runbooks(search: "database") { id }', 'query F'],
  ['reliabilityReport', `reliabilityReport(filter: ${PERIOD}) { incidents }`, 'query F'],
  ['reliabilityReview', `reliabilityReview(filter: ${PERIOD}) { __typename }`, 'query F'],
  ['themes', `themes(filter: ${PERIOD}) { __typename }`, 'query F'],
  ['errorBudgets', 'errorBudgets { remainingMinutes }', 'query F'],
  ['myWork.queue', 'myWork { queue { reason } }', 'query F'],
  ['changes(first: 200)', 'changes(first: 200) { id }', 'query F'],
  ['auditLog(first: 100)', 'auditLog(first: 100) { id }', 'query F'],
  ['blamelessReview of 100 kB', 'blamelessReview(text: $t) { phrase }', 'query F($t: String!)'],
  ['addPostmortemComment', `addPostmortemComment(incidentId: ${ID}, section: "summary", body: "x") { id }`, 'mutation F'],
  ['draftPostmortemSection', `draftPostmortemSection(incidentId: ${ID}, section: "summary") { __typename }`, 'mutation F'],
  ['login', 'login(email: "a@b.c", password: "x") { token }', 'mutation F'],
];

it.each(DEAR)('an aliased flood of %s (16 times) is refused', (_name, field, head) => {
  expect(refusal(aliased(16, field, head), { t: 'x'.repeat(100_000) })).toMatch(/^(TOO_MANY_ALIASES|QUERY_TOO_COMPLEX|TOO_MANY_SIGN_INS)$/);
});

it.each([
  ['Incident.similar', `incident(id: ${ID}) { similar { score } }`, 'query F'],
  ['incidents(filter.search)', 'incidents(filter: { search: "database" }, first: 100) { nodes { id } }', 'query F'],
  ['reliabilityReport', `reliabilityReport(filter: ${PERIOD}) { incidents }`, 'query F'],
  ['draftPostmortemSection', `draftPostmortemSection(incidentId: ${ID}, section: "summary") { __typename }`, 'mutation F'],
])('the aliases the limit allows of %s still cost too much', (_name, field, head) => {
  expect(refusal(aliased(15, field, head))).toBe('QUERY_TOO_COMPLEX');
});

it('prices similar incidents per incident of a list: a page of them is refused, one incident page is not', () => {
  expect(refusal('query { incidents(first: 25) { nodes { similar { score } } } }')).toBe('QUERY_TOO_COMPLEX');
  expect(refusal(`query { incident(id: ${ID}) { title similar { score incident { reference title } } } }`)).toBeNull();
});

it('prices search above a plain list and the palette as a person types (5 a second) within the minute budget', () => {
  const { cost } = operationCost(schema, parse('query { search(query: "database") { id kind title url snippet } }'), { defaultListSize: DEFAULT_LIST_SIZE });
  expect(cost).toBeGreaterThanOrEqual(300);
  expect(cost * 5 * 60).toBeLessThan(LIMITS.costPerMinute);
});
