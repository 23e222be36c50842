/** A cached null carries the tag its entity would have had when the arguments are named like the key fields. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoErrors, createHarness } from '../../helpers/schema.js';

const typeDefs = /* GraphQL */ `
  directive @key(fields: String!) repeatable on OBJECT | INTERFACE
  type Product @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
  }
  type Variant @key(fields: "sku region") @cacheControl(maxAge: 60) {
    sku: String!
    region: String!
  }
  type Query {
    product(id: ID!): Product @cacheNull
    productById(productId: ID!): Product @cacheNull
    variant(sku: String!, region: String!): Variant @cacheNull
  }
  type Mutation {
    createProduct(id: ID!, name: String!): Product
  }
`;

test('product(id:) @cacheNull is tagged Product:<id>, so creating the product refreshes the null; other argument names add nothing', async () => {
  const products = new Map<string, { id: string; name: string }>();
  let calls = 0;
  const h = createHarness(typeDefs, {
    Query: {
      product: (_: unknown, { id }: { id: string }) => (calls++, products.get(id) ?? null),
      productById: (_: unknown, { productId }: { productId: string }) => products.get(productId) ?? null,
      variant: () => null,
    },
    Mutation: { createProduct: (_: unknown, p: { id: string; name: string }) => (products.set(p.id, p), p) },
  });
  assertNoErrors(await h.run('{ product(id: "9") { name } productById(productId: "9") { name } variant(sku: "s", region: "eu") { sku } }'));
  const tagsOf = (prefix: string) => h.store.calls.set.flat().find((e) => e.key.startsWith(prefix))?.tags;
  assert.deepEqual(tagsOf('Query.product:'), ['Product', 'Product:9']);
  assert.deepEqual(tagsOf('Query.productById:'), []);
  assert.deepEqual(tagsOf('Query.variant:'), ['Variant', 'Variant:s', 'Variant:s:eu']);
  await h.run('mutation { createProduct(id: "9", name: "Lamp") { id name } }');
  const after = await h.run('{ product(id: "9") { name } }');
  assert.deepEqual(JSON.parse(JSON.stringify(after.data)), { product: { name: 'Lamp' } });
  assert.equal(calls, 2);
});
