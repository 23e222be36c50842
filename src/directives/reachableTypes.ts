/**
 * The object types a root type reaches through its fields (interfaces and unions through their possible types), so
 * `@invalidates` can be allowed on the fields of namespaced mutations (`Mutation.product: ProductMutations!`) and
 * nowhere a query alone reaches.
 */
import { getNamedType, isAbstractType, isObjectType, type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

/** Names of the object types reachable from `root`, `root` included. */
export function objectTypesReachableFrom(schema: GraphQLSchema, root: GraphQLObjectType): Set<string> {
  const reached = new Set<string>();
  const pending: GraphQLNamedType[] = [root];
  while (pending.length > 0) {
    const type = pending.pop()!;
    if (isAbstractType(type)) {
      for (const possible of schema.getPossibleTypes(type)) if (!reached.has(possible.name)) pending.push(possible);
      continue;
    }
    if (!isObjectType(type) || reached.has(type.name)) continue;
    reached.add(type.name);
    for (const field of Object.values(type.getFields())) pending.push(getNamedType(field.type));
  }
  return reached;
}
