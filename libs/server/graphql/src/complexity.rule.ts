import { getNamedType, GraphQLError, isListType, isNonNullType, GraphQLOutputType, ValidationContext, ValidationRule, Kind, SelectionSetNode, FragmentDefinitionNode, GraphQLField } from 'graphql';

export interface ComplexityOptions {
  maximum: number;
  /** Assumed size of a list when the query does not bound it with `first`. */
  defaultListSize: number;
}

const unwrap = (t: GraphQLOutputType): GraphQLOutputType => (isNonNullType(t) ? t.ofType : t);

/**
 * Query cost = fields selected, multiplied through lists by their `first` argument (or a
 * default size). Refuses a query above the maximum before it runs, so one request cannot
 * ask for an unbounded fan-out of nested lists. A paged field that returns a connection
 * (`incidents(first: 50) { nodes { … } }`) is not itself a list: its `first` sizes the
 * connection's lists (`nodes`) instead, so the page is counted once, not twice. A list whose
 * length the server bounds says so with `@Extensions({ listSize: n })` (16 headline figures, at
 * most 5 drivers), and is counted at that length.
 */
export function complexityRule({ maximum, defaultListSize }: ComplexityOptions): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

    // `pageSize`: the `first` of the connection this selection set belongs to, if any.
    const costOf = (set: SelectionSetNode | undefined, typeName: string, seen: Set<string>, pageSize?: number): number => {
      if (!set) return 0;
      const type = context.getSchema().getType(typeName);
      const fields = type && 'getFields' in type ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>) : {};
      let total = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const field = fields[sel.name.value];
          if (!field) continue;
          const firstArg = sel.arguments?.find((a) => a.name.value === 'first');
          const first = firstArg?.value.kind === Kind.INT ? Number(firstArg.value.value) : undefined;
          const size = first ?? defaultListSize;
          const isList = isListType(unwrap(field.type));
          const bound = field.extensions?.['listSize'];
          const multiplier = isList ? (firstArg ? size : typeof bound === 'number' ? bound : (pageSize ?? defaultListSize)) : 1;
          const connectionPage = !isList && firstArg ? size : undefined;
          total += 1 + multiplier * costOf(sel.selectionSet, getNamedType(field.type).name, seen, connectionPage);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          total += costOf(sel.selectionSet, sel.typeCondition?.name.value ?? typeName, seen, pageSize);
        } else {
          const frag = fragments.get(sel.name.value);
          if (frag && !seen.has(frag.name.value)) total += costOf(frag.selectionSet, frag.typeCondition.name.value, new Set([...seen, frag.name.value]), pageSize);
        }
      }
      return total;
    };

    return {
      OperationDefinition(node) {
        const root = node.operation === 'query' ? context.getSchema().getQueryType() : node.operation === 'mutation' ? context.getSchema().getMutationType() : context.getSchema().getSubscriptionType();
        if (!root) return;
        const cost = costOf(node.selectionSet, root.name, new Set());
        if (cost > maximum) {
          context.reportError(new GraphQLError(`Query is too complex: cost ${cost} exceeds the limit of ${maximum}. Ask for fewer fields or smaller pages.`, { nodes: [node], extensions: { code: 'QUERY_TOO_COMPLEX', cost, maximum } }));
        }
      },
    };
  };
}
