/**
 * A filled tag over the 1,024-character limit is never dropped silently: a `@cacheTag` that cannot be made bypasses
 * the cache (reason `tag-too-long`), and an `@invalidates` that cannot be made invalidates its literal prefix.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApolloHarness } from '../../helpers/apollo.js';

const typeDefs = /* GraphQL */ `
  type Product {
    id: ID!
    name: String!
  }
  type Query {
    products(storeId: ID!): [Product!]! @cacheControl(maxAge: 60) @cacheTag(format: "Store:{$args.storeId}:products")
  }
  type Mutation {
    createProduct(storeId: ID!, name: String!): Product! @invalidates(format: "Store:{$args.storeId}:products")
  }
`;

function app() {
  const products: { id: string; storeId: string; name: string }[] = [];
  const calls = { products: 0 };
  return {
    calls,
    resolvers: {
      Query: { products: (_: unknown, { storeId }: { storeId: string }) => (calls.products++, products.filter((p) => p.storeId === storeId)) },
      Mutation: {
        createProduct: (_: unknown, { storeId, name }: { storeId: string; name: string }) => {
          const product = { id: String(products.length + 1), storeId, name };
          products.push(product);
          return product;
        },
      },
    },
  };
}

const longId = 's'.repeat(1100);
const LIST = `query($storeId: ID!) { products(storeId: $storeId) { name } }`;
const CREATE = `mutation($storeId: ID!) { createProduct(storeId: $storeId, name: "tea") { id } }`;

test('a list whose tag would be over-long is served uncached, so a created product shows up at once', async (t) => {
  const { calls, resolvers } = app();
  const h = await createApolloHarness(typeDefs, resolvers, { plugin: { debug: true } });
  t.after(() => h.stop());
  const first = await h.run(LIST, { storeId: longId });
  assert.deepEqual(
    (first.extensions?.cachetag as { fields: { outcome: string; reason?: string }[] }).fields.map((f) => `${f.outcome}:${f.reason}`),
    ['bypass:tag-too-long'],
  );
  await h.run(CREATE, { storeId: longId });
  assert.deepEqual((await h.run(LIST, { storeId: longId })).data?.products, [{ name: 'tea' }]);
  assert.ok(
    h.warnings.some((w) => w.includes('1024 characters')),
    h.warnings.join('\n'),
  );
  assert.equal(calls.products, 2);
});

test('an @invalidates tag that would be over-long invalidates its literal prefix', async (t) => {
  const { calls, resolvers } = app();
  const h = await createApolloHarness(typeDefs, resolvers);
  t.after(() => h.stop());
  await h.run(LIST, { storeId: '1' });
  await h.run(LIST, { storeId: '1' });
  assert.equal(calls.products, 1, 'the short list is cached');
  const created = await h.run(CREATE, { storeId: longId }, { context: {} });
  assert.ok(created.data);
  await h.run(LIST, { storeId: '1' });
  assert.equal(calls.products, 2, 'the mutation invalidated "Store", which covers every store list');
  assert.ok(
    h.warnings.some((w) => w.includes('invalidated "Store"')),
    h.warnings.join('\n'),
  );
});
