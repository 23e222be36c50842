/**
 * A stored operation response expires when the earliest field entry it was built from expires: a response that
 * hit a field entry 1.6 s into its 2 s maxAge is stored for the remaining 0.4 s, not for another 2 s.
 * One injected clock drives the memory store's TTLs and the engine's entry expiry times: no sleeping.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApolloHarness } from '../../helpers/apollo.js';
import { createCodec, createMemoryStore } from '../../../src/index.js';

const typeDefs = /* GraphQL */ `
  type Query {
    price(id: ID!): Int @cacheControl(maxAge: 2)
  }
`;

test('an operation response built from a field hit expires with that field entry', async (t) => {
  // lru-cache reads a clock at 0 as "no TTL": start it elsewhere.
  let now = 1_000_000;
  const clock = { now: () => now };
  let price = 100;
  let calls = 0;
  const h = await createApolloHarness(
    typeDefs,
    { Query: { price: () => (calls++, price) } },
    { store: createMemoryStore({ clock }), cache: { clock }, plugin: { debug: true } },
  );
  t.after(async () => {
    await h.stop();
    await h.cache.close();
  });
  const A = `query A { price(id: 1) }`;
  const B = `query B { price(id: 1) }`;
  assert.equal((await h.run(A)).data?.price, 100);
  price = 200; // changed without an invalidation: only maxAge ends the old value
  now += 1600;
  const b = await h.run(B);
  assert.equal(b.data?.price, 100, 'B hits the field entry, 0.4 s before it expires');
  assert.equal((b.extensions?.cachetag as { operation: { stored: boolean } }).operation.stored, true);
  now += 1400; // 3.0 s: the field entry expired at 2.0 s, and so must B's stored response
  assert.equal((await h.run(B)).data?.price, 200);
  assert.equal(calls, 2);
});

test('a field entry written by 0.1.0 ([tags, value], no expiry time) is still a hit, and counts its full maxAge', async (t) => {
  const h = await createApolloHarness(typeDefs, { Query: { price: () => 100 } }, { plugin: { debug: true } });
  t.after(() => h.stop());
  const first = await h.run(`{ price(id: 1) }`);
  const key = (first.extensions?.cachetag as { fields: { key: string }[] }).fields[0]!.key;
  const { seq } = await h.store.get([]);
  await h.store.set([{ key, value: createCodec().encode([[], 50]), tags: [], ttlMs: 60_000, fetchSeq: seq }]);
  const second = await h.run(`query Other { price(id: 1) }`);
  assert.equal(second.data?.price, 50);
  assert.equal((second.extensions?.cachetag as { operation: { stored: boolean } }).operation.stored, true);
});
