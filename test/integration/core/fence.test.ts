/**
 * The race leases solve: a slow read that started before an invalidation
 * must not leave its (stale) result readable after it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestShop, outcomes, type TestShop } from '../../helpers/shop.js';

const PRODUCT = `{ product(id: "42") { price } }`;
let shop: TestShop;

before(async () => {
  shop = await createTestShop();
});
after(() => shop.stop());

/** Holds the next `product` read open after it has read its row, until `release()`. */
function holdNextProductRead(): { reading: Promise<void>; release: () => void } {
  let release!: () => void;
  let signalReading!: () => void;
  const reading = new Promise<void>((resolve) => (signalReading = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  shop.db.onRead = async (method) => {
    if (method !== 'product') return;
    shop.db.onRead = undefined;
    signalReading();
    await gate;
  };
  return { reading, release };
}

const price = (result: { data?: Record<string, unknown> | null }) => (result.data?.product as { price: number }).price;

test('a slow read of old data that finishes after the mutation leaves nothing stale behind', async () => {
  const hold = holdNextProductRead();
  const slow = shop.run(PRODUCT);
  await hold.reading; // the slow resolver has read price 5

  await shop.run(`mutation { updateProduct(id: "42", input: { price: 77 }) { id } }`);
  hold.release();
  assert.equal(price(await slow), 5, 'the slow request itself answers with what it read');
  await shop.cache.idle();

  shop.db.resetCalls();
  const next = await shop.run(PRODUCT);
  assert.equal(price(next), 77);
  assert.equal(shop.db.calls.product, 1, 'the late fill was refused, so the next read runs the resolver');

  await shop.cache.idle();
  const cached = await shop.run(PRODUCT);
  assert.deepEqual(outcomes(cached), ['Query.product:hit']);
  assert.equal(price(cached), 77);
});

test('a request that starts after the invalidation does not join the older flight', async () => {
  await shop.run(`mutation { updateProduct(id: "42", input: { price: 10 }) { id } }`);
  const hold = holdNextProductRead();
  const slow = shop.run(PRODUCT);
  await hold.reading;
  await shop.run(`mutation { updateProduct(id: "42", input: { price: 11 }) { id } }`);

  shop.db.resetCalls();
  const after = await shop.run(PRODUCT);
  assert.equal(price(after), 11, 'not the 10 the older flight read');
  assert.equal(shop.db.calls.product, 1);
  hold.release();
  assert.equal(price(await slow), 10);
  await shop.cache.idle();
  assert.equal(price(await shop.run(PRODUCT)), 11);
});
