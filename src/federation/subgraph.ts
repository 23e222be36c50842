/**
 * How cachetag recognises a Federation subgraph schema and reaches the reference resolvers `@apollo/subgraph` keeps
 * on its types (`extensions.apollo.subgraph.resolveReference`), without importing `@apollo/subgraph` itself.
 */
import { isUnionType, type GraphQLInterfaceType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

/** A reference resolver: `__resolveReference(reference, context, info)` as `@apollo/subgraph` calls it. */
export type ReferenceResolver = (reference: Record<string, unknown>, context: unknown, info: unknown) => unknown;

interface SubgraphExtensions {
  apollo?: { subgraph?: { resolveReference?: ReferenceResolver } & Record<string, unknown> } & Record<string, unknown>;
}

/** True for a subgraph schema: its query type has `_entities` and the schema has the `_Entity` union. */
export function isSubgraphSchema(schema: GraphQLSchema): boolean {
  return schema.getQueryType()?.getFields()._entities !== undefined && isUnionType(schema.getType('_Entity'));
}

/** The reference resolver `@apollo/subgraph` stored on a type, if any. */
export function referenceResolverOf(type: GraphQLObjectType | GraphQLInterfaceType): ReferenceResolver | undefined {
  return (type.extensions as SubgraphExtensions).apollo?.subgraph?.resolveReference;
}

/** Replaces a type's reference resolver, the way `@apollo/subgraph` sets it (a new extensions object). */
export function setReferenceResolver(type: GraphQLObjectType | GraphQLInterfaceType, resolve: ReferenceResolver): void {
  const extensions = type.extensions as SubgraphExtensions;
  (type as { extensions: unknown }).extensions = {
    ...extensions,
    apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference: resolve } },
  };
}
