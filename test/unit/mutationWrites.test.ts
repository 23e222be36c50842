/** Which fields below the mutation root are writes (namespaced mutations), and where `@invalidates` is allowed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { cacheDirectivesTypeDefs, validateCacheDirectives } from '../../src/index.js';
import { buildCachePlan } from '../../src/engine/plan.js';

const typeDefs = /* GraphQL */ `
  type Store @cacheControl(maxAge: 300) {
    id: ID!
    name: String!
  }
  type Product @cacheControl(maxAge: 300) {
    id: ID!
    store: Store!
    related: [Product!]!
    likes: Int!
  }
  type Stats {
    count: Int!
    product: Product
  }
  type ProductMutations {
    like(id: ID!): Product
    count: Int!
    unlike(id: ID!): Boolean! @invalidates(format: "Product:{$args.id}")
    stats: Stats
  }
  type Query {
    product(id: ID!): Product
    stats: Stats
  }
  type Mutation {
    product: ProductMutations!
  }
`;
const noop = () => null;

test('a field below the mutation root is a write when it has @invalidates, or a resolver returning something that can hold an entity', () => {
  const schema = makeExecutableSchema({
    typeDefs: [cacheDirectivesTypeDefs, typeDefs],
    resolvers: {
      Query: { product: noop, stats: noop },
      Mutation: { product: noop },
      ProductMutations: { like: noop, count: noop, stats: noop },
      Product: { store: noop, likes: noop },
      Stats: { count: noop },
    },
  });
  const { directives, problems } = validateCacheDirectives(schema, { hasSessionId: false });
  assert.deepEqual(problems, []);
  const plan = buildCachePlan(schema, directives);
  const writes = [...plan.fields.values()]
    .filter((f) => f.invalidatesInMutation)
    .map((f) => `${f.coordinate}:${f.mode}`)
    .sort();
  assert.deepEqual(writes, [
    'Mutation.product:mutation',
    // Reads below a mutation's result count too (the rule stays simple and sound): they refetch, never read stale.
    'Product.store:cache',
    'ProductMutations.like:mutation',
    'ProductMutations.stats:mutation',
    'ProductMutations.unlike:mutation',
  ]);
  // Not writes: a resolver returning a scalar (ProductMutations.count, Product.likes, Stats.count), fields without a
  // resolver (Product.related, Stats.product), and fields only a query reaches (Query.*).
  assert.equal(plan.fields.get('Query.product')?.invalidatesInMutation, false);
});

test('@invalidates is rejected on a type only a query reaches', () => {
  const schema = makeExecutableSchema({
    typeDefs: [
      cacheDirectivesTypeDefs,
      `type Report { total(id: ID!): Int @invalidates(format: "Report:{$args.id}") }
       type Query { report: Report }
       type Mutation { ping: Boolean }`,
    ],
  });
  assert.deepEqual(
    validateCacheDirectives(schema, { hasSessionId: false }).problems.map((p) => p.message),
    [
      'Report.total: @invalidates is only allowed on fields of the mutation type (Mutation) and of types reachable from it; Report is not reachable from Mutation.',
    ],
  );
});
