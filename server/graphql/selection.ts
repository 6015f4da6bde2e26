import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields a query selects at `path` below the field being resolved (e.g. the
 * fields of `edges.node` of a connection), fragments and inline fragments included; null when the
 * path is not there. A field under @skip or @include counts as selected (the answer may be more
 * than the query reads, never less).
 */
export function selectedFieldNames(info: GraphQLResolveInfo, path: readonly string[]): Set<string> | null {
  let sets: SelectionSetNode[] = info.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
  for (const name of path) {
    const next: SelectionSetNode[] = [];
    for (const set of sets) {
      for (const field of fieldsOf(info, set)) {
        if (field.name === name && field.selectionSet) next.push(field.selectionSet);
      }
    }
    if (!next.length) return null;
    sets = next;
  }
  return new Set(sets.flatMap((set) => fieldsOf(info, set).map((f) => f.name)));
}

/** The fields of a selection set, with those of its fragments. */
function fieldsOf(info: GraphQLResolveInfo, set: SelectionSetNode, seen = new Set<string>()): { name: string; selectionSet?: SelectionSetNode }[] {
  const out: { name: string; selectionSet?: SelectionSetNode }[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push({ name: s.name.value, selectionSet: s.selectionSet });
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(info, s.selectionSet, seen));
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      const fragment = info.fragments[s.name.value];
      if (fragment) out.push(...fieldsOf(info, fragment.selectionSet, seen));
    }
  }
  return out;
}
