import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

type Selection = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/** Every field node of the selection sets given, through fragments and inline fragments. */
function eachField(info: Selection, sets: readonly (SelectionSetNode | undefined)[], visit: (field: { name: string; selectionSet?: SelectionSetNode }) => void): void {
  const walk = (set: SelectionSetNode | undefined, seen: Set<string>): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === 'Field') visit({ name: s.name.value, selectionSet: s.selectionSet });
      else if (s.kind === 'InlineFragment') walk(s.selectionSet, seen);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        walk(info.fragments[s.name.value]?.selectionSet, seen);
      }
    }
  };
  for (const set of sets) walk(set, new Set());
}

/**
 * The names of the fields the query selects under the field being resolved, or under the
 * sub-field `path` names (e.g. 'members': what a list resolver's rows' members are asked for),
 * through fragments and inline fragments; @skip/@include are not evaluated, so a conditional
 * field counts as selected. Lets a loader leave out columns nobody asked for, and a list load
 * only the references its rows' fields need.
 */
export function selectedFields(info: Selection, ...path: string[]): Set<string> {
  let sets = info.fieldNodes.map((node) => node.selectionSet);
  for (const step of path) {
    const next: (SelectionSetNode | undefined)[] = [];
    eachField(info, sets, (f) => {
      if (f.name === step) next.push(f.selectionSet);
    });
    sets = next;
  }
  const names = new Set<string>();
  eachField(info, sets, (f) => names.add(f.name));
  return names;
}
