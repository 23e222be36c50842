/**
 * The invalidation contract holds for any store, not only Redis: a store whose invalidate() fails in its own way makes
 * cache.invalidate() reject with INVALIDATION_UNACKNOWLEDGED naming the tags, a mutation keeps its data and names them
 * in extensions.cachetag.unacknowledged, and close() resolves to what the store could not deliver.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryStore, isUnacknowledgedInvalidation, type Store } from '../../../src/index.js';
import { createTestShop } from '../../helpers/shop.js';

function failingInvalidations(): Store {
  const inner = createMemoryStore();
  return {
    get: (keys) => inner.get(keys),
    set: (entries) => inner.set(entries),
    invalidate: () => Promise.reject(new Error('backend refused')),
    close: () => inner.close(),
  };
}

test('cache.invalidate() on a store failing its own way rejects with INVALIDATION_UNACKNOWLEDGED naming the tags', async () => {
  const shop = await createTestShop({ cache: { store: failingInvalidations() } });
  const error = await shop.cache.invalidate(['Product:1', 'Product:2']).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isUnacknowledgedInvalidation(error), `got ${String(error)}`);
  assert.deepEqual(error.tags, ['Product:1', 'Product:2']);
  assert.match(error.message, /backend refused/);
  assert.equal(shop.cache.stats().unacknowledgedInvalidations, 1);
  assert.equal(shop.cache.stats().invalidations, 0);
});

test('a mutation on such a store keeps its data and names the tags in extensions.cachetag.unacknowledged', async () => {
  const warnings: string[] = [];
  const shop = await createTestShop({ cache: { store: failingInvalidations(), strict: false, logger: { warn: (m) => warnings.push(m) } } });
  const result = await shop.run('mutation { updateProduct(id: "42", input: { name: "Renamed" }) { id name } }');
  assert.deepEqual(JSON.parse(JSON.stringify(result.data)), { updateProduct: { id: '42', name: 'Renamed' } });
  const unacknowledged = (result.extensions?.cachetag as { unacknowledged?: string[] } | undefined)?.unacknowledged;
  assert.ok(unacknowledged?.includes('Product:42'), `extensions: ${JSON.stringify(result.extensions)}`);
  assert.equal(warnings.length, 1);
});

test('close() resolves to { undelivered: [] } on the memory store, which acknowledges every invalidation at once', async () => {
  const shop = await createTestShop();
  await shop.cache.invalidate('Product:1');
  assert.deepEqual(await shop.cache.close(), { undelivered: [] });
});
