import { buildSchema, GraphQLObjectType, parse } from 'graphql';
import { FieldCost, MUTATION_POINTS, operationCost } from './operation.cost';

const schema = buildSchema(`
  type Item { id: ID! tags: [String!]! children: [Item!]! }
  type PageInfo { hasNextPage: Boolean! }
  type ItemConnection { nodes: [Item!]! totalCount: Int! pageInfo: PageInfo! }
  input Filter { search: String teamIds: [ID!] }
  type Query {
    items(first: Int, filter: Filter): ItemConnection!
    all: [Item!]!
    list(first: Int): [Item!]!
    report: Item!
    review(text: String!): [String!]!
  }
  type Mutation { save(id: ID!): Item! login(email: String!): Item! }
`);

/** What @Cost does in the API's schema. */
function price(field: string, cost: FieldCost, type = 'Query'): void {
  (schema.getType(type) as GraphQLObjectType).getFields()[field]!.extensions = { cost };
}
price('report', { points: 1000 });
price('review', { points: 10, perKilobyte: { argument: 'text', points: 10 } });
price('items', { points: 1, whenGiven: { argument: 'filter.search', points: 50 } });
price('login', { points: 100 }, 'Mutation');

const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  operationCost(schema, parse(query), { defaultListSize: 20, variables, operationName }).cost;

describe('operationCost', () => {
  it('multiplies a list by its first argument, or by the default size', () => {
    expect(cost('{ list(first: 5) { id } }')).toBe(1 + 5 * 1);
    expect(cost('{ all { id } }')).toBe(1 + 20 * 1);
    expect(cost('{ all { children { id } } }')).toBe(1 + 20 * (1 + 20 * 1));
  });

  it('reads first from a variable, and says the cost depends on it', () => {
    const query = 'query($n: Int) { list(first: $n) { id } }';
    expect(cost(query, { n: 50 })).toBe(1 + 50);
    expect(cost(query, {})).toBe(1 + 20);
    expect(operationCost(schema, parse(query), { defaultListSize: 20, variables: { n: 2 } }).dependsOnVariables).toBe(true);
    expect(operationCost(schema, parse('{ list(first: 2) { id } }'), { defaultListSize: 20 }).dependsOnVariables).toBe(false);
  });

  it('counts a connection page once: first sizes its nodes, not the connection too', () => {
    expect(cost('{ items(first: 50) { totalCount nodes { id } } }')).toBe(1 + (1 + (1 + 50 * 1)));
    expect(cost('{ items { nodes { id } } }')).toBe(1 + (1 + 20 * 1));
    // Lists inside the nodes keep the default size.
    expect(cost('{ items(first: 10) { nodes { tags } } }')).toBe(1 + (1 + 10 * (1 + 20 * 0)));
  });

  it('passes the page size through fragments on the connection', () => {
    expect(cost('{ items(first: 50) { ...page } } fragment page on ItemConnection { nodes { id } }')).toBe(1 + (1 + 50 * 1));
  });

  it('counts a list the server bounds (extensions.listSize) at that bound', () => {
    const bounded = buildSchema('type Item { id: ID! } type Query { top: [Item!]! all: [Item!]! }');
    bounded.getQueryType()!.getFields()['top']!.extensions = { listSize: 5 };
    expect(operationCost(bounded, parse('{ top { id } all { id } }'), { defaultListSize: 20 }).cost).toBe(1 + 5 * 1 + 1 + 20 * 1);
  });

  it('weighs a field by its cost extension, __typename at nothing', () => {
    expect(cost('{ report { id } }')).toBe(1000 + 1);
    expect(cost('{ __typename a: __typename report { __typename } }')).toBe(1000);
    // Fifteen aliases of the report: 15 times its weight.
    expect(cost(`{ ${Array.from({ length: 15 }, (_, i) => `r${i}: report { id }`).join(' ')} }`)).toBe(15 * 1001);
  });

  it('adds points per started kilobyte of a text argument, literal or variable', () => {
    expect(cost('{ review(text: "short") }')).toBe(10 + 1 * 10);
    expect(cost('query($t: String!) { review(text: $t) }', { t: 'x'.repeat(100_000) })).toBe(10 + 98 * 10);
    expect(cost('query($t: String!) { review(text: $t) }', { t: 'é'.repeat(1024) })).toBe(10 + 2 * 10);
  });

  it('adds points when a search is given, inside an input, literal or variable', () => {
    expect(cost('{ items { totalCount } }')).toBe(1 + 1);
    expect(cost('{ items(filter: { search: "disk" }) { totalCount } }')).toBe(51 + 1);
    expect(cost('{ items(filter: { search: "" }) { totalCount } }')).toBe(1 + 1);
    expect(cost('query($f: Filter) { items(filter: $f) { totalCount } }', { f: { search: 'disk' } })).toBe(51 + 1);
    expect(cost('query($q: String) { items(filter: { search: $q }) { totalCount } }', { q: null })).toBe(1 + 1);
  });

  it(`prices a root mutation field at ${MUTATION_POINTS} unless it says otherwise`, () => {
    expect(cost('mutation { save(id: "1") { id } }')).toBe(MUTATION_POINTS + 1);
    expect(cost('mutation { login(email: "a@b.c") { id } }')).toBe(100 + 1);
    expect(cost('mutation { ...m } fragment m on Mutation { save(id: "1") { id } }')).toBe(MUTATION_POINTS + 1);
  });

  it('prices the operation that runs, or the dearest when that cannot be told', () => {
    const doc = 'query Cheap { all { id } } query Dear { report { id } }';
    expect(cost(doc, {}, 'Cheap')).toBe(21);
    expect(cost(doc, {}, 'Dear')).toBe(1001);
    expect(cost(doc)).toBe(1001);
  });

  it('prices a chain of fragments that spread each other twice in linear time, at its expanded size', () => {
    const chain = Array.from({ length: 60 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    // The fastest of three: a busy machine can pause any one of them, not all three.
    const times = [0, 1, 2].map(() => {
      const started = performance.now();
      cost(`{ ...F0 } ${chain} fragment F60 on Query { report { id } }`);
      return performance.now() - started;
    });
    expect(Math.min(...times)).toBeLessThan(100);
    const total = cost(`{ ...F0 } ${chain} fragment F60 on Query { report { id } }`);
    expect(total).toBe(Number.MAX_SAFE_INTEGER);
    expect(cost(`{ ...F0 } ${Array.from({ length: 3 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F3 on Query { report { id } }`)).toBe(8 * 1001);
  });
});
