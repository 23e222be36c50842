/**
 * Issue 19 C: a request that joins another request's resolver call and receives what that request could not cache
 * (null without @cacheNull, here) reports a bypass with the first request's reason, so the operation tier does not
 * store its response (which would carry no tags and survive every invalidation until its TTL).
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Store } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { gate, startApollo, until } from '../../helpers/apolloHarness.js';
import { connectOrSkip, deletePrefix, onCleanup, uniquePrefix } from '../../helpers/redis.js';

const typeDefs = /* GraphQL */ `
  type Query {
    product(id: ID!): Product @cacheControl(maxAge: 60)
  }
  type Mutation {
    createProduct(id: ID!, name: String!): Product
  }
  type Product {
    id: ID!
    name: String!
  }
`;

async function sharedNull(t: TestContext, store?: Store): Promise<void> {
  const products = new Map<string, { id: string; name: string }>();
  let release = gate();
  let calls = 0;
  const h = await startApollo(
    typeDefs,
    {
      Query: {
        product: async (_: unknown, { id }: { id: string }) => {
          calls++;
          await release.promise;
          return products.get(id) ?? null;
        },
      },
      Mutation: {
        createProduct: (_: unknown, product: { id: string; name: string }) => (products.set(product.id, product), product),
      },
    },
    store ? { cache: { store } } : {},
  );
  t.after(() => h.stop());
  const query = `{ product(id: "999") { id name } }`;

  const both = Promise.all([h.run(query), h.run(query)]);
  await until(() => h.cache.stats().joinedFlights === 1);
  release.open();
  const [first, second] = await both;
  assert.deepEqual(first.data, { product: null });
  assert.deepEqual(second.data, { product: null });
  assert.equal(calls, 1, 'the second request joined the first one');
  await h.cache.idle();
  assert.equal(h.cache.stats().operationFills, 0, 'neither response was stored');
  assert.equal(h.cache.stats().misses, 0, 'the joined request reported no miss');
  assert.equal(h.cache.stats().bypasses, 2, 'both requests bypassed (reason null)');

  await h.run(`mutation { createProduct(id: "999", name: "New") { id name } }`);
  release = gate();
  release.open();
  assert.deepEqual((await h.run(query)).data, { product: { id: '999', name: 'New' } });
}

test('a null shared with a joined request is not stored, so a later create is seen at once (memory store)', (t) => sharedNull(t));

test('a null shared with a joined request is not stored, so a later create is seen at once (Redis)', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('joined-null');
  const store = createRedisStore({ client: redis.template(), prefix, readTimeoutMs: 2000, writeTimeoutMs: 2000 });
  onCleanup(t, () => deletePrefix(redis.admin, prefix));
  assert.ok(await store.whenConnected());
  await sharedNull(t, store);
});
