import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { cacheDirectivesTypeDefs, cacheDirectivesTypeDefsFor, validateCacheDirectives } from '../../src/index.js';

const apolloDeclarations = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;
const federationDeclarations = `
  directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
  directive @cacheTag(format: String!) repeatable on FIELD_DEFINITION | OBJECT
`;
const userSdl = `
  type Query { product(id: ID!): Product @cacheControl(maxAge: 30) @cacheTag(format: "Product:{$args.id}") }
  type Product @key(fields: "id") { id: ID! }
`;

const policyOf = (schema: ReturnType<typeof buildSchema>) => {
  const { directives, problems } = validateCacheDirectives(schema, { hasSessionId: false });
  assert.deepEqual(problems, []);
  return [
    directives.fields.get('Query.product')?.hint,
    directives.fields.get('Query.product')?.tagTemplates.map((t) => t.format),
    directives.types.get('Product')?.keyFields,
  ];
};
const expected = [{ maxAge: 30 }, ['Product:{$args.id}'], [['id']]];

test('cacheDirectivesTypeDefs merges with SDL that already declares Apollo and Federation directives (graphql-tools)', () => {
  const schema = makeExecutableSchema({ typeDefs: [cacheDirectivesTypeDefs, apolloDeclarations, federationDeclarations, userSdl] });
  assert.deepEqual(policyOf(schema), expected);
});

test('cacheDirectivesTypeDefsFor adds only what a plain buildSchema SDL lacks', () => {
  const sdl = apolloDeclarations + federationDeclarations + userSdl;
  const missing = cacheDirectivesTypeDefsFor(sdl);
  assert.doesNotMatch(missing, /directive @cacheControl|enum CacheControlScope|directive @cacheTag/);
  assert.match(missing, /directive @cacheKey/);
  assert.match(missing, /directive @invalidates/);
  assert.deepEqual(policyOf(buildSchema(missing + sdl)), expected);
  const bare = `type Query { product(id: ID!): Product @cacheControl(maxAge: 30) @cacheTag(format: "Product:{$args.id}") } type Product { id: ID! }`;
  assert.deepEqual(policyOf(buildSchema(cacheDirectivesTypeDefsFor(bare) + bare)), expected);
});

test('code-first schemas can carry the directives in extensions.directives', () => {
  const schema = makeExecutableSchema({ typeDefs: `type Query { product(id: ID!): Product } type Product { id: ID! }` });
  const field = schema.getQueryType()!.getFields().product!;
  (field as { extensions: unknown }).extensions = { directives: { cacheControl: { maxAge: 30 }, cacheTag: [{ format: 'Product:{$args.id}' }] } };
  const { directives, problems } = validateCacheDirectives(schema, { hasSessionId: false });
  assert.deepEqual(problems, []);
  assert.deepEqual(directives.fields.get('Query.product')?.hint, { maxAge: 30 });
});
