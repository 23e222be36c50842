import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestShop, outcomes, type RunResult, type TestShop } from '../../helpers/shop.js';

const ME = `{ me { id name favoriteProducts { id } } }`;
let shop: TestShop;
before(async () => {
  shop = await createTestShop();
});
after(() => shop.stop());

const records = (result: RunResult) => (result.extensions?.cachetag as { fields: { coordinate: string; keyParts: string }[] }).fields;

test('two users never see each other’s PRIVATE data, and each is cached for themselves', async () => {
  const alice = await shop.run(ME, undefined, { userId: 'alice' });
  const bob = await shop.run(ME, undefined, { userId: 'bob' });
  assert.equal((alice.data?.me as { name: string }).name, 'Alice');
  assert.equal((bob.data?.me as { name: string }).name, 'Bob');
  await shop.cache.idle();

  shop.db.resetCalls();
  const aliceAgain = await shop.run(ME, undefined, { userId: 'alice' });
  const bobAgain = await shop.run(ME, undefined, { userId: 'bob' });
  assert.deepEqual(aliceAgain.data, alice.data);
  assert.deepEqual(bobAgain.data, bob.data);
  assert.equal(shop.db.totalCalls, 0, 'both served from their own entries');
  assert.deepEqual(outcomes(aliceAgain), ['Query.me:hit', 'Customer.favoriteProducts:hit']);
});

test('a PUBLIC field below a PRIVATE one is keyed by the session too', async () => {
  const result = await shop.run(ME, undefined, { userId: 'alice' });
  const favorites = records(result).find((r) => r.coordinate === 'Customer.favoriteProducts');
  assert.equal(favorites?.keyParts, 'Customer.favoriteProducts of Customer:alice (PRIVATE)');
});

test('without a session a PRIVATE field bypasses the cache', async () => {
  shop.store.reset();
  const anonymous = await shop.run(ME);
  assert.equal(anonymous.data?.me, null);
  assert.deepEqual(outcomes(anonymous), ['Query.me:bypass:no-session']);
  assert.equal(shop.store.calls.get.length, 0);
  await shop.cache.idle();
  assert.equal(shop.store.calls.set.length, 0);
});

test('the session id never appears in a store key', async () => {
  shop.store.reset();
  await shop.run(ME, undefined, { userId: 'alice' });
  await shop.run(ME, undefined, { userId: 'bob' });
  const keys = shop.store.calls.get.flat();
  assert.ok(keys.length >= 2);
  for (const key of keys) assert.ok(!key.includes('alice') && !key.includes('bob'), key);
});
