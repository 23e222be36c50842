/**
 * Issue 21 item 5: two deploys with the same SDL and different resolvers (v2 returns the price in cents and
 * resolves `price` from it) share one store during a rolling deploy. With `version`, each reads only its own entries
 * (no `Cannot return null for non-nullable field`), and an invalidation by either still reaches both.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCache, createMemoryStore } from '../../../src/index.js';
import { startApollo } from '../../helpers/apolloHarness.js';

const typeDefs = /* GraphQL */ `
  type Query {
    product(id: ID!): Product @cacheControl(maxAge: 60)
  }
  type Mutation {
    setPrice(id: ID!, price: Int!): Product
  }
  type Product {
    id: ID!
    price: Int!
  }
`;

test('deploys with one SDL and different resolvers keep their entries apart, and share invalidations', async (t) => {
  const prices = new Map([['1', 100]]);
  const calls = { v1: 0, v2: 0 };
  const store = createMemoryStore();
  const setPrice = (_: unknown, { id, price }: { id: string; price: number }) => (prices.set(id, price), { id, price });
  const v1 = await startApollo(
    typeDefs,
    {
      Query: { product: (_: unknown, { id }: { id: string }) => (calls.v1++, { id, price: prices.get(id) }) },
      Mutation: { setPrice },
    },
    { cache: { store, version: 'v1' } },
  );
  const v2 = await startApollo(
    typeDefs,
    {
      Query: { product: (_: unknown, { id }: { id: string }) => (calls.v2++, { id, cents: prices.get(id)! * 100 }) },
      Mutation: { setPrice: (...args: Parameters<typeof setPrice>) => ({ id: setPrice(...args).id, cents: args[1].price * 100 }) },
      Product: { price: (product: { cents: number }) => product.cents / 100 },
    },
    { cache: { store, version: 'v2' } },
  );
  t.after(async () => {
    await v1.apollo.stop();
    await v2.stop();
  });
  const query = `{ product(id: "1") { id price } }`;

  for (const server of [v1, v2, v1, v2]) {
    // Each deploy's own query text, so v2's first request reaches the field tier (not v1's stored response).
    const result = await server.run(`# ${server === v1 ? 'v1' : 'v2'}\n${query}`);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual(result.data, { product: { id: '1', price: 100 } });
    await server.cache.idle();
  }
  assert.deepEqual(calls, { v1: 1, v2: 1 }, 'each deploy filled and then hit its own entries');

  // A write through v2 invalidates what v1 cached (tags carry no version), and the other way round.
  await v2.run(`mutation { setPrice(id: "1", price: 200) { id } }`);
  assert.deepEqual((await v1.run(query)).data, { product: { id: '1', price: 200 } });
  await v1.run(`mutation { setPrice(id: "1", price: 300) { id } }`);
  assert.deepEqual((await v2.run(query)).data, { product: { id: '1', price: 300 } });
  assert.deepEqual(calls, { v1: 2, v2: 2 });
});

test('version is validated at construction', () => {
  assert.throws(
    () => createCache({ version: 5 as unknown as string }),
    /createCache: option "version" must be a non-empty string of at most 256 characters \(a release, a commit\); received number 5\./,
  );
  assert.throws(() => createCache({ version: '' }), /option "version"/);
  createCache({ version: '2026-11-27.1' });
});
