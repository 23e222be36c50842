/**
 * Which fields below the mutation root are writes. Namespaced mutations (`mutation { product { like(id: 42) } }`)
 * write in a nested resolver, so the root rule alone misses them. The rule, kept simple to stay sound: a field of a
 * type reachable from the mutation root invalidates, when resolved inside a mutation operation, what it returns (and
 * its `@invalidates` tags) if it has `@invalidates`, or if it has a resolver of its own and its return type can
 * contain something tagged (an entity, or an item of a scoped list).
 */
import { getNamedType, isAbstractType, isObjectType, type GraphQLSchema } from 'graphql';
import type { CacheDirectives } from '../directives/model.js';
import { objectTypesReachableFrom } from '../directives/reachableTypes.js';

/** Coordinates of the non-root fields that invalidate what they return when resolved inside a mutation. */
export function mutationWriteFields(schema: GraphQLSchema, directives: CacheDirectives): Set<string> {
  const writes = new Set<string>();
  const mutationType = schema.getMutationType();
  if (!mutationType) return writes;
  const containsTagged = typesContainingTagged(schema, directives);
  for (const typeName of objectTypesReachableFrom(schema, mutationType)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type) || type === mutationType) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const invalidates = (directives.fields.get(coordinate)?.invalidates.length ?? 0) > 0;
      if (invalidates || (field.resolve && containsTagged.has(getNamedType(field.type).name))) writes.add(coordinate);
    }
  }
  return writes;
}

/** Names of the types whose values can contain an entity or a scoped-list item, found backwards from those. */
function typesContainingTagged(schema: GraphQLSchema, directives: CacheDirectives): Set<string> {
  const parentsOf = new Map<string, string[]>();
  const link = (child: string, parent: string) => parentsOf.set(child, [...(parentsOf.get(child) ?? []), parent]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (isAbstractType(type)) for (const possible of schema.getPossibleTypes(type)) link(possible.name, type.name);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) link(getNamedType(field.type).name, type.name);
  }
  const pending = [...directives.types.values()].filter((t) => t.keyFields).map((t) => t.name);
  for (const itemType of directives.listScopes.keys()) pending.push(itemType);
  const found = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (found.has(name)) continue;
    found.add(name);
    for (const parent of parentsOf.get(name) ?? []) pending.push(parent);
  }
  return found;
}
