import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { createTestShop, outcomes, type TestShop } from '../../helpers/shop.js';

const PRODUCT = `query($id: ID!) { product(id: $id) { id name price store { name } reviews { rating } } }`;
let shop: TestShop;

before(async () => {
  shop = await createTestShop();
});
after(() => shop.stop());
beforeEach(async () => {
  for (const id of ['42', '43']) await shop.run(PRODUCT, { id });
  await shop.cache.idle();
  shop.db.resetCalls();
});

test("updating Product 42 invalidates Product 42's entries and leaves Product 43's", async () => {
  const mutation = await shop.run(`mutation { updateProduct(id: "42", input: { price: 99 }) { id price } }`);
  assert.deepEqual((mutation.extensions?.cachetag as { invalidated: string[] }).invalidated, ['Product:42']);
  shop.db.resetCalls();

  const fresh = await shop.run(PRODUCT, { id: '42' });
  assert.equal((fresh.data?.product as { price: number }).price, 99, 'the read after the mutation is fresh');
  // Every entry of Product 42 depended on Product:42 (the value, or the parent), reviews too (Product:42:reviews is below it).
  assert.deepEqual(outcomes(fresh), ['Query.product:miss:stale', 'Product.reviews:miss:stale', 'Product.store:miss:stale']);
  assert.deepEqual(shop.db.calls, { product: 1, store: 1, reviewsOfProduct: 1 });

  shop.db.resetCalls();
  const other = await shop.run(PRODUCT, { id: '43' });
  assert.deepEqual(outcomes(other), ['Query.product:hit', 'Product.reviews:hit', 'Product.store:hit']);
  assert.equal(shop.db.totalCalls, 0);
});

test('the invalidation is acknowledged before the mutation response exists', async () => {
  shop.store.reset();
  let acknowledged = false;
  const invalidate = shop.store.invalidate.bind(shop.store);
  shop.store.invalidate = async (tags) => {
    const seq = await invalidate(tags);
    await new Promise((resolve) => setTimeout(resolve, 20));
    acknowledged = true;
    return seq;
  };
  try {
    await shop.run(`mutation { updateProduct(id: "43", input: { name: "Renamed" }) { id } }`);
    assert.equal(acknowledged, true);
  } finally {
    shop.store.invalidate = invalidate;
  }
});

test('an entity nested in a cached value is invalidated through it (Store 1 inside Product.store)', async () => {
  await shop.run(`mutation { updateStore(id: "1", input: { name: "Acme Central" }) { id } }`);
  const result = await shop.run(PRODUCT, { id: '42' });
  assert.deepEqual(outcomes(result), ['Query.product:hit', 'Product.reviews:hit', 'Product.store:miss:stale']);
  assert.equal((result.data?.product as { store: { name: string } }).store.name, 'Acme Central');
});

test('@invalidates with {$args...}: a new review invalidates Product 42 reviews, not the product', async () => {
  const created = await shop.run(`mutation { createReview(productId: "42", input: { rating: 1, body: "meh" }) { id rating } }`);
  const reviewId = (created.data?.createReview as { id: string }).id;
  assert.deepEqual((created.extensions?.cachetag as { invalidated: string[] }).invalidated.sort(), ['Product:42:reviews', `Review:${reviewId}`].sort());
  const result = await shop.run(PRODUCT, { id: '42' });
  assert.deepEqual(outcomes(result), ['Query.product:hit', 'Product.reviews:miss:stale', 'Product.store:hit']);
  assert.equal((result.data?.product as { reviews: unknown[] }).reviews.length, 3);
});

test('@invalidates with {$result...}: a created product refreshes its store list only', async () => {
  await shop.run(`{ a: products(storeId: "1") { id } b: products(storeId: "2") { id } }`);
  await shop.cache.idle();
  await shop.run(`mutation { createProduct(input: { storeId: "1", name: "New tea", price: 3, category: "tea" }) { id } }`);
  shop.db.resetCalls();
  const lists = await shop.run(`{ a: products(storeId: "1") { id } b: products(storeId: "2") { id } }`);
  assert.deepEqual(outcomes(lists), ['Query.products:miss:stale', 'Query.products:hit']);
  assert.equal((lists.data?.a as unknown[]).length, 5);
});

test('cache.invalidate() covers writes made outside GraphQL, with hierarchy', async () => {
  await shop.run(`{ organization(id: "1") { name stores { name } } }`);
  await shop.cache.idle();
  await shop.cache.invalidate('Organization:1:stores');
  const afterChild = await shop.run(`{ organization(id: "1") { name stores { name } } }`);
  assert.deepEqual(outcomes(afterChild), ['Query.organization:hit', 'Organization.stores:miss:stale']);
  await shop.cache.idle();
  await shop.cache.invalidate(['Organization:1']);
  const afterParent = await shop.run(`{ organization(id: "1") { name stores { name } } }`);
  assert.deepEqual(outcomes(afterParent), ['Query.organization:miss:stale', 'Organization.stores:miss:stale']);
});

test('invalidate() rejects malformed tags before touching the store', async () => {
  shop.store.reset();
  await assert.rejects(shop.cache.invalidate(['Product:1', 'Product::2']), { code: 'INVALID_TAG' });
  await assert.rejects(shop.cache.invalidate(''), { code: 'INVALID_TAG' });
  assert.equal(shop.store.calls.invalidate.length, 0);
});

test('typed invalidation from the generated tag helpers (writes outside GraphQL)', async () => {
  await shop.run(`{ a: products(storeId: "2") { id } b: products(storeId: "3") { id } }`);
  await shop.cache.idle();
  await shop.invalidate.storeProducts('2');
  assert.deepEqual(outcomes(await shop.run(`{ a: products(storeId: "2") { id } b: products(storeId: "3") { id } }`)), [
    'Query.products:miss:stale',
    'Query.products:hit',
  ]);
  await shop.cache.idle();
  await shop.invalidate.productReviews('42');
  assert.deepEqual(outcomes(await shop.run(PRODUCT, { id: '42' })), ['Query.product:hit', 'Product.reviews:miss:stale', 'Product.store:hit']);
});
