import { buildSchema, parse, validate } from 'graphql';
import { complexityRule } from './complexity.rule';

const schema = buildSchema(`
  type Item { id: ID! tags: [String!]! children: [Item!]! }
  type PageInfo { hasNextPage: Boolean! }
  type ItemConnection { nodes: [Item!]! totalCount: Int! pageInfo: PageInfo! }
  type Query { items(first: Int): ItemConnection! all: [Item!]! list(first: Int): [Item!]! }
`);

function cost(query: string): number {
  const [error] = validate(schema, parse(query), [complexityRule({ maximum: 0, defaultListSize: 20 })]);
  return Number(error?.extensions?.['cost'] ?? 0);
}

describe('complexityRule', () => {
  it('multiplies a list by its first argument, or by the default size', () => {
    expect(cost('{ list(first: 5) { id } }')).toBe(1 + 5 * 1);
    expect(cost('{ all { id } }')).toBe(1 + 20 * 1);
    expect(cost('{ all { children { id } } }')).toBe(1 + 20 * (1 + 20 * 1));
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
    const top = bounded.getQueryType()?.getFields()['top'];
    if (!top) throw new Error('no top field');
    top.extensions = { listSize: 5 };
    const [error] = validate(bounded, parse('{ top { id } all { id } }'), [complexityRule({ maximum: 0, defaultListSize: 20 })]);
    expect(error?.extensions?.['cost']).toBe(1 + 5 * 1 + 1 + 20 * 1);
  });
});
