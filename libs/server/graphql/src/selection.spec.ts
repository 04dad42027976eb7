import { buildSchema, execute, GraphQLResolveInfo, parse } from 'graphql';
import { selectedFields } from './selection';

const schema = buildSchema(`
  type User { id: ID!, name: String!, active: Boolean!, email: String! }
  type Team { members: [User!]!, manager: User }
  type Query { team: Team! }
`);

/** Runs the query and returns what selectedFields said for Team.members (or, given a path, for Query.team and that path). */
function selectionOf(query: string, ...path: string[]): string[] {
  let seen: string[] = [];
  const result = execute({
    schema,
    document: parse(query),
    rootValue: { team: {} },
    fieldResolver: (source: Record<string, unknown>, _args, _ctx, info: GraphQLResolveInfo) => {
      if (path.length && info.fieldName === 'team') seen = [...selectedFields(info, ...path)].sort();
      if (info.fieldName === 'members') {
        if (!path.length) seen = [...selectedFields(info)].sort();
        return [{ id: '1', name: 'A', active: true, email: 'a@x' }];
      }
      return source[info.fieldName];
    },
  });
  if ('errors' in result && result.errors) throw new Error(String(result.errors));
  return seen;
}

describe('selectedFields', () => {
  it('names the fields selected directly', () => {
    expect(selectionOf('{ team { members { id name } } }')).toEqual(['id', 'name']);
  });

  it('follows fragments and inline fragments, and merges the same field asked twice', () => {
    expect(selectionOf('{ team { members { id ...F } members { ... on User { email } } } } fragment F on User { name ...G } fragment G on User { active }')).toEqual(['active', 'email', 'id', 'name']);
  });

  it('counts a field under @skip or @include as selected', () => {
    expect(selectionOf('query($x: Boolean = false) { team { members { id active @include(if: $x) } } }')).toEqual(['active', 'id']);
  });

  it('names the fields selected under a sub-field (a list resolver asking what its rows\' members need)', () => {
    const query = '{ team { manager { id } members { id ...F } ... on Team { members { email } } } } fragment F on User { name }';
    expect(selectionOf(query, 'members')).toEqual(['email', 'id', 'name']);
    expect(selectionOf(query, 'manager')).toEqual(['id']);
    expect(selectionOf('{ team { manager { id } } }', 'members')).toEqual([]);
  });
});
