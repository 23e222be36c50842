/**
 * The one source of the cache directives: their SDL, and the GraphQLDirective
 * objects the reader coerces arguments with. Reading with our own
 * definitions (not the schema's) means a schema that declares
 * `@cacheControl` itself, or imports `@cacheTag`/`@key` from Federation,
 * is read exactly like one that uses our declarations.
 */
import { buildASTSchema, parse, print, type DocumentNode, type GraphQLDirective, Kind } from 'graphql';

/**
 * SDL declaring every directive cachetag reads, plus Apollo's
 * `CacheControlScope` enum. Add it to your type definitions:
 *
 * ```ts
 * new ApolloServer({ typeDefs: [cacheDirectivesTypeDefs, typeDefs], ... })
 * ```
 *
 * Apollo Server (graphql-tools) merges identical declarations, so this works
 * whether or not your SDL already declares `@cacheControl`. With a plain
 * `buildSchema`, use {@link cacheDirectivesTypeDefsFor} instead.
 */
export const cacheDirectivesTypeDefs = /* GraphQL */ `
  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }

  """
  Apollo's cache hint: how long a field's (or type's) value may be cached, and for whom.
  """
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

  """
  A dependency tag template, as in Apollo Federation: "Store:{$args.storeId}:products". Repeatable.
  """
  directive @cacheTag(format: String!) repeatable on FIELD_DEFINITION | OBJECT

  """
  The fields that identify an entity when the schema has no Federation @key: "id", "sku region".
  """
  directive @cacheKey(fields: String!) on OBJECT | INTERFACE

  """
  A tag template a mutation invalidates when it resolves: "Store:{$args.input.storeId}:products". Repeatable.
  """
  directive @invalidates(format: String!) repeatable on FIELD_DEFINITION

  """
  Cache a null result of this field too (by default null is never cached).
  """
  directive @cacheNull on FIELD_DEFINITION

  """
  Which arguments of a list field filter its items by which item fields, so a mutation returning an item invalidates
  exactly the cached lists it belongs in: ["storeId", "category"], ["kind: $args.category"], ["storeId: $parent.id"].
  """
  directive @listScope(filters: [String!]!) on FIELD_DEFINITION
`;

const declarations: DocumentNode = parse(cacheDirectivesTypeDefs);
const declarationSchema = buildASTSchema(declarations, { assumeValidSDL: true });

function directive(name: string): GraphQLDirective {
  const found = declarationSchema.getDirective(name);
  if (!found) throw new Error(`cachetag internal error: @${name} is missing from cacheDirectivesTypeDefs`);
  return found;
}

/** The directive definitions used to read and coerce arguments. */
export const cacheControlDirective = directive('cacheControl');
export const cacheTagDirective = directive('cacheTag');
export const cacheKeyDirective = directive('cacheKey');
export const invalidatesDirective = directive('invalidates');
export const cacheNullDirective = directive('cacheNull');
export const listScopeDirective = directive('listScope');
/** Federation's `@key`, read when present; `fields` is read as a string (Federation's `FieldSet` scalar). */
export const federationKeyDirective = buildASTSchema(parse('directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE'), {
  assumeValidSDL: true,
}).getDirective('key')!;

/**
 * The part of {@link cacheDirectivesTypeDefs} that `typeDefs` does not
 * declare yet, for `buildSchema(cacheDirectivesTypeDefsFor(sdl) + sdl)`.
 * Ends with a newline (or is empty), so it can be prepended as is.
 */
export function cacheDirectivesTypeDefsFor(typeDefs: string | DocumentNode): string {
  const document = typeof typeDefs === 'string' ? parse(typeDefs) : typeDefs;
  const declared = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) declared.add(`@${definition.name.value}`);
    else if ('name' in definition && definition.name) declared.add(definition.name.value);
  }
  return declarations.definitions
    .filter((d) => {
      const name = d.kind === Kind.DIRECTIVE_DEFINITION ? `@${d.name.value}` : 'name' in d && d.name ? d.name.value : '';
      return !declared.has(name);
    })
    .map((d) => `${print(d)}\n`)
    .join('\n');
}
