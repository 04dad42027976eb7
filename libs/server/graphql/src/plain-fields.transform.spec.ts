import { graphql, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { inlinePlainFields } from './plain-fields.transform';

// Stand-ins for what @nestjs/graphql generates (object-type-definition.factory: createFieldResolver).
const nestResolver = (property: string, defaultValue?: unknown) =>
  function rootFieldResolver(root: Record<string, unknown>): unknown {
    const value = root[property];
    return typeof value === 'undefined' ? defaultValue : value;
  };

function schema(): GraphQLSchema {
  const Row = new GraphQLObjectType({
    name: 'Row',
    fields: {
      plain: { type: GraphQLString, resolve: nestResolver('plain') },
      withDefault: { type: GraphQLString, resolve: nestResolver('withDefault', 'fallback') },
      renamed: { type: GraphQLString, resolve: nestResolver('storedElsewhere') },
      computed: { type: GraphQLString, resolve: (row: { plain: string }) => row.plain.toUpperCase() },
    },
  });
  return new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { row: { type: Row, resolve: () => ({ plain: 'a', storedElsewhere: 'b' }) } } }) });
}

describe('inlinePlainFields', () => {
  it('drops only the resolvers that read the property of the same name and nothing else', () => {
    const fields = (inlinePlainFields(schema()).getType('Row') as GraphQLObjectType).getFields();
    expect(fields['plain'].resolve).toBeUndefined();
    expect(fields['withDefault'].resolve).toBeDefined();
    expect(fields['renamed'].resolve).toBeDefined();
    expect(fields['computed'].resolve).toBeDefined();
  });

  it('answers exactly as before', async () => {
    const query = '{ row { plain withDefault renamed computed } }';
    const before = await graphql({ schema: schema(), source: query });
    const after = await graphql({ schema: inlinePlainFields(schema()), source: query });
    expect(after).toEqual(before);
    expect(after.data).toEqual({ row: { plain: 'a', withDefault: 'fallback', renamed: 'b', computed: 'A' } });
  });
});
