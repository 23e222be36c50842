import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestShop, outcomes, type TestShop } from '../../helpers/shop.js';

let shop: TestShop;
before(async () => {
  shop = await createTestShop({ latencyMs: 100 });
});
after(() => shop.stop());

test('50 concurrent identical cold queries run the resolver once', async () => {
  const query = `{ product(id: "44") { name reviews { rating } } }`;
  const results = await Promise.all(Array.from({ length: 50 }, () => shop.run(query)));
  assert.equal(shop.db.calls.product, 1);
  assert.equal(shop.db.calls.reviewsOfProduct, 1);
  for (const result of results) assert.deepEqual(result.data, results[0]!.data);
  // Requests that looked up while the first resolver ran joined its flight; any that arrived after its fill hit.
  const ways = results.map((r) => outcomes(r)[0]);
  assert.equal(ways.filter((w) => w === 'Query.product:miss:absent').length, 1);
  assert.equal(ways.filter((w) => w === 'Query.product:miss:joined-flight' || w === 'Query.product:hit').length, 49);
  assert.ok(ways.includes('Query.product:miss:joined-flight'));
});

test('joiners get their own copies', async () => {
  const query = `{ product(id: "45") { name } }`;
  const [a, b] = await Promise.all([shop.run(query), shop.run(query)]);
  assert.notEqual(a.data?.product, b.data?.product);
});

test('a rejected resolver is shared only with concurrent waiters, never cached, and leaves nothing in flight', async () => {
  let failures = 1;
  shop.db.resetCalls();
  shop.db.onRead = (method) => {
    if (method === 'product' && failures-- > 0) throw new Error('database unavailable');
  };
  const query = `{ product(id: "46") { name } }`;
  const results = await Promise.all(Array.from({ length: 10 }, () => shop.run(query, undefined, { allowErrors: true })));
  assert.equal(shop.db.calls.product, 1, 'one resolver call for the ten concurrent requests');
  for (const result of results) assert.equal(result.errors?.[0]?.message, 'database unavailable');
  assert.equal(shop.store.calls.set.flat().filter((e) => e.key.startsWith('Query.product')).length, 2, 'only the two earlier products were written');
  await shop.cache.idle();

  shop.db.onRead = undefined;
  const retry = await shop.run(query);
  assert.equal((retry.data?.product as { name: string }).name, 'Product 46');
  assert.equal(shop.db.calls.product, 2, 'the failure was not served from cache or from a lingering flight');
  assert.deepEqual(outcomes(retry), ['Query.product:miss:absent']);
});
