import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestShop, outcomes, type TestShop } from '../../helpers/shop.js';

const QUERY = /* GraphQL */ `
  query Page($id: ID!) {
    product(id: $id) {
      name
      price
      store {
        name
      }
      reviews {
        rating
        body
      }
    }
  }
`;

let shop: TestShop;
before(async () => {
  shop = await createTestShop();
});
after(() => shop.stop());

test('a second identical query makes zero resolver calls and returns the same data', async () => {
  const first = await shop.run(QUERY, { id: '42' });
  assert.deepEqual(shop.db.calls, { product: 1, store: 1, reviewsOfProduct: 1 });
  assert.deepEqual(outcomes(first), ['Query.product:miss:absent', 'Product.reviews:miss:absent', 'Product.store:miss:absent']);
  await shop.cache.idle();

  shop.db.resetCalls();
  const second = await shop.run(QUERY, { id: '42' });
  assert.equal(shop.db.totalCalls, 0);
  assert.deepEqual(second.data, first.data);
  assert.deepEqual(outcomes(second), ['Query.product:hit', 'Product.reviews:hit', 'Product.store:hit']);
});

test('the lookups of one tick are one batched store call', async () => {
  shop.store.reset();
  await shop.run(QUERY, { id: '43' });
  // Query.product, then Product.store and Product.reviews together (siblings resolve in one tick).
  assert.deepEqual(
    shop.store.calls.get.map((keys) => keys.map((k) => k.split(':')[0])),
    [['Query.product'], ['Product.store', 'Product.reviews']],
  );
  await shop.cache.idle();
  shop.store.reset();
  await shop.run(QUERY, { id: '43' });
  assert.equal(shop.store.calls.get.length, 2);
  assert.equal(shop.store.calls.set.length, 0, 'hits write nothing');
});

test('variables and inline arguments, in any order, share one entry', async () => {
  await shop.run(`{ products(storeId: "1", category: "tea") { id } }`);
  await shop.cache.idle();
  shop.db.resetCalls();
  await shop.run(`query($s: ID!, $c: String) { products(category: $c, storeId: $s) { id } }`, { s: '1', c: 'tea' });
  assert.equal(shop.db.totalCalls, 0);
  await shop.run(`{ products(storeId: "1", category: "coffee") { id } }`);
  assert.equal(shop.db.calls.products, 1, 'a different argument value is a different entry');
});
