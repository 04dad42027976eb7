import { Extensions } from '@nestjs/graphql';
import {
  DocumentNode, FieldNode, FragmentDefinitionNode, getNamedType, GraphQLField, GraphQLOutputType, GraphQLSchema, isListType, isNonNullType, Kind,
  OperationDefinitionNode, SelectionSetNode, valueFromASTUntyped, ValueNode,
} from 'graphql';

/** How a field is priced beyond the 1 point every field costs: its `cost` extension, set with @Cost. */
export interface FieldCost {
  /** Points for the field itself, in place of 1. */
  points: number;
  /** Plus this many points per started kilobyte of a String argument: the text a review reads. */
  perKilobyte?: { argument: string; points: number };
  /** Plus this many points when an argument, or a path into an input (`filter.search`), is given and not empty. */
  whenGiven?: { argument: string; points: number };
}

/**
 * Prices a field by the work it does (docs/security.md, "Cost"): `@Cost(1000)` for a report
 * that reads every incident of a period, `@Cost(10, { perKilobyte: { argument: 'text', points: 10 } })`
 * for a review whose time grows with its text.
 */
export const Cost = (points: number, more: Omit<FieldCost, 'points'> = {}) => Extensions({ cost: { points, ...more } satisfies FieldCost });

/** What a root mutation field costs unless it says otherwise: a write (a transaction, audit entries, jobs). */
export const MUTATION_POINTS = 10;

export interface CostOptions {
  /** Assumed size of a list when the query does not bound it with `first`. */
  defaultListSize: number;
  operationName?: string | null;
  variables?: Readonly<Record<string, unknown>> | null;
}

export interface OperationCost {
  cost: number;
  /** The cost read a variable (a `first: $n`, a `text: $t`): it must be priced again with each request's variables. */
  dependsOnVariables: boolean;
}

const unwrap = (t: GraphQLOutputType): GraphQLOutputType => (isNonNullType(t) ? t.ofType : t);

function usesVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(usesVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((f) => usesVariable(f.value));
  return false;
}

/**
 * Query cost: every field selected costs 1 (`__typename` 0), or what its `cost` extension says;
 * root mutation fields cost MUTATION_POINTS unless they say otherwise. Lists multiply what they
 * contain by their `first` argument (or a default size). A paged field that returns a
 * connection (`incidents(first: 50) { nodes { … } }`) is not itself a list: its `first` sizes
 * the connection's lists (`nodes`) instead, so the page is counted once, not twice. A list
 * whose length the server bounds says so with `@Extensions({ listSize: n })` (16 headline
 * figures, at most 5 drivers), and is counted at that length.
 *
 * Each fragment is priced once per page size, so a document whose fragments spread each other
 * in a chain (2^n expansions) costs linear time to price, and prices at its expanded size.
 * A cost past Number.MAX_SAFE_INTEGER is reported as that.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, options: CostOptions): OperationCost {
  const { defaultListSize } = options;
  const variables = options.variables ?? {};
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION) operations.push(def);
  }
  let dependsOnVariables = false;
  const argument = (node: FieldNode, path: string): unknown => {
    const [head, ...rest] = path.split('.');
    const arg = node.arguments?.find((a) => a.name.value === head);
    if (!arg) return undefined;
    if (usesVariable(arg.value)) dependsOnVariables = true;
    let value: unknown = valueFromASTUntyped(arg.value, variables);
    for (const key of rest) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return value;
  };
  const ownPoints = (node: FieldNode, field: GraphQLField<unknown, unknown>, isMutationRoot: boolean): number => {
    if (node.name.value === '__typename') return 0;
    const spec = field.extensions?.['cost'] as FieldCost | undefined;
    if (!spec) return isMutationRoot ? MUTATION_POINTS : 1;
    let points = spec.points;
    if (spec.perKilobyte) {
      const text = argument(node, spec.perKilobyte.argument);
      if (typeof text === 'string') points += Math.ceil(Buffer.byteLength(text) / 1024) * spec.perKilobyte.points;
    }
    if (spec.whenGiven) {
      const given = argument(node, spec.whenGiven.argument);
      if (given !== undefined && given !== null && given !== '' && !(Array.isArray(given) && given.length === 0)) points += spec.whenGiven.points;
    }
    return points;
  };

  const fragmentCosts = new Map<string, number>();
  const expanding = new Set<string>();
  // `pageSize`: the `first` of the connection this selection set belongs to, if any.
  const costOf = (set: SelectionSetNode | undefined, typeName: string, pageSize: number | undefined, isMutationRoot: boolean): number => {
    if (!set) return 0;
    const type = schema.getType(typeName);
    const fields = type && 'getFields' in type ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>) : {};
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const field = fields[sel.name.value];
        if (!field) continue;
        const firstArg = sel.arguments?.find((a) => a.name.value === 'first');
        const firstValue = firstArg ? argument(sel, 'first') : undefined;
        const size = typeof firstValue === 'number' && firstValue >= 0 ? firstValue : defaultListSize;
        const isList = isListType(unwrap(field.type));
        const bound = field.extensions?.['listSize'];
        const multiplier = isList ? (firstArg ? size : typeof bound === 'number' ? bound : (pageSize ?? defaultListSize)) : 1;
        const connectionPage = !isList && firstArg ? size : undefined;
        total += ownPoints(sel, field, isMutationRoot) + multiplier * costOf(sel.selectionSet, getNamedType(field.type).name, connectionPage, false);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(sel.selectionSet, sel.typeCondition?.name.value ?? typeName, pageSize, isMutationRoot);
      } else {
        const name = sel.name.value;
        const frag = fragments.get(name);
        if (!frag || expanding.has(name)) continue;
        const key = `${name}|${pageSize ?? ''}|${isMutationRoot}`;
        let cost = fragmentCosts.get(key);
        if (cost === undefined) {
          expanding.add(name);
          cost = costOf(frag.selectionSet, frag.typeCondition.name.value, pageSize, isMutationRoot);
          expanding.delete(name);
          fragmentCosts.set(key, cost);
        }
        total += cost;
      }
    }
    return Math.min(total, Number.MAX_SAFE_INTEGER);
  };

  const named = options.operationName ? operations.filter((o) => o.name?.value === options.operationName) : [];
  // The operation that will run; when that cannot be told (graphql-js then refuses to run any), the dearest.
  const priced = named.length ? named : operations;
  let cost = 0;
  for (const op of priced) {
    const root = op.operation === 'query' ? schema.getQueryType() : op.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (root) cost = Math.max(cost, costOf(op.selectionSet, root.name, undefined, op.operation === 'mutation'));
  }
  return { cost, dependsOnVariables };
}
