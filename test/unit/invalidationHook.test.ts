/**
 * The invalidation hook: `onInvalidate` listeners hear every invalidation after the store acknowledged it, off the
 * caller's path, at least once (retried with backoff), and a listener that keeps failing, hangs or falls behind is
 * dropped from with a warning and a counter, never failing or blocking the invalidation itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCache, createMemoryStore, type Invalidation, type Store } from '../../src/index.js';

function setup(options: Parameters<typeof createCache>[0] = {}) {
  const warnings: string[] = [];
  const cache = createCache({ logger: { warn: (m) => warnings.push(m) }, ...options });
  return { cache, warnings };
}

test('listeners hear each acknowledged invalidation with its tags and source, and can be removed', async () => {
  const heard: Invalidation[] = [];
  const { cache } = setup({ onInvalidate: (invalidation) => void heard.push(invalidation) });
  const later: Invalidation[] = [];
  const remove = cache.onInvalidate((invalidation) => void later.push(invalidation));
  await cache.invalidate(['Product:1', 'Product:1', 'catalog']);
  await cache.idle();
  assert.deepEqual(heard, [{ tags: ['Product:1', 'catalog'], source: 'api' }]);
  assert.deepEqual(later, heard);
  remove();
  await cache.invalidate('Product:2');
  await cache.idle();
  assert.equal(heard.length, 2);
  assert.equal(later.length, 1);
  assert.equal(cache.stats().forwardedInvalidations, 3);
});

test('an invalidation the store did not acknowledge is not forwarded', async () => {
  const inner = createMemoryStore();
  const store: Store = {
    ...inner,
    get: (k) => inner.get(k),
    set: (e) => inner.set(e),
    close: () => inner.close(),
    invalidate: () => Promise.reject(new Error('down')),
  };
  const heard: Invalidation[] = [];
  const { cache } = setup({ store, onInvalidate: (invalidation) => void heard.push(invalidation) });
  await assert.rejects(cache.invalidate('Product:1'));
  await cache.idle();
  assert.deepEqual(heard, []);
});

test('a failing listener is retried with backoff until it succeeds', async () => {
  let attempts = 0;
  const { cache, warnings } = setup({
    invalidationDelivery: { retryDelayMs: 1 },
    onInvalidate: function flaky() {
      attempts++;
      if (attempts < 3) throw new Error(`attempt ${attempts} failed`);
    },
  });
  await cache.invalidate('Product:1');
  await cache.idle();
  assert.equal(attempts, 3);
  const stats = cache.stats();
  assert.deepEqual([stats.forwardedInvalidations, stats.forwardRetries, stats.droppedInvalidations], [1, 2, 0]);
  assert.deepEqual(warnings, []);
});

test('a listener that keeps failing is dropped after maxAttempts, with one warning and a counter', async () => {
  let attempts = 0;
  const { cache, warnings } = setup({
    invalidationDelivery: { retryDelayMs: 1, maxAttempts: 3 },
    onInvalidate: async function down() {
      attempts++;
      throw new Error('HTTP 503.');
    },
  });
  await cache.invalidate('Product:1');
  await cache.invalidate('Product:2');
  await cache.idle();
  assert.equal(attempts, 6);
  assert.equal(cache.stats().droppedInvalidations, 2);
  assert.equal(cache.stats().forwardRetries, 4);
  assert.deepEqual(warnings, [
    '[cachetag] onInvalidate listener "down" failed 3 times (last: HTTP 503); the invalidation of "Product:1" was dropped for it. Further drops are counted in stats().droppedInvalidations.',
  ]);
});

test('a listener that never answers times out (its signal aborts), is retried, then dropped', async () => {
  const signals: AbortSignal[] = [];
  const { cache, warnings } = setup({
    invalidationDelivery: { retryDelayMs: 1, maxAttempts: 2, timeoutMs: 20 },
    onInvalidate: function hung(_invalidation, signal) {
      signals.push(signal);
      return new Promise(() => {});
    },
  });
  await cache.invalidate('Product:1');
  await cache.idle();
  assert.equal(signals.length, 2);
  assert.ok(signals.every((s) => s.aborted));
  assert.equal(cache.stats().droppedInvalidations, 1);
  assert.match(warnings[0]!, /failed 2 times \(last: no answer within 20 ms\)/);
});

test('the queue is bounded: deliveries beyond maxQueued are dropped with a warning, never blocking', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const delivered: string[] = [];
  const { cache, warnings } = setup({
    invalidationDelivery: { maxQueued: 2 },
    onInvalidate: async function slow(invalidation) {
      await gate;
      delivered.push(invalidation.tags[0]!);
    },
  });
  for (let i = 1; i <= 5; i++) await cache.invalidate(`Product:${i}`);
  assert.equal(cache.stats().droppedInvalidations, 3);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /"slow": 2 deliveries are already waiting \(invalidationDelivery.maxQueued\)/);
  release();
  await cache.idle();
  assert.deepEqual(delivered, ['Product:1', 'Product:2']);
});

test('close() waits for deliveries, then drops what is left with a warning', async () => {
  const { cache, warnings } = setup({ invalidationDelivery: { timeoutMs: 60_000, closeTimeoutMs: 50 }, onInvalidate: () => new Promise(() => {}) });
  await cache.invalidate('Product:1');
  const started = Date.now();
  await cache.close();
  assert.ok(Date.now() - started < 10_000);
  assert.equal(cache.stats().droppedInvalidations, 1);
  assert.match(warnings.at(-1)!, /close\(\): 1 invalidation delivery to onInvalidate listeners could not be made/);
});

test('bad options throw at construction, naming the option', () => {
  assert.throws(() => createCache({ onInvalidate: 'x' as never }), /createCache: option "onInvalidate" must be a function/);
  assert.throws(
    () => createCache({ invalidationDelivery: { maxAttempts: 0 } }),
    /option "invalidationDelivery.maxAttempts" must be a positive integer; received number 0/,
  );
  assert.throws(() => createCache({ invalidationDelivery: { retryDelayMs: -1 } }), /"invalidationDelivery.retryDelayMs" must be an integer ≥ 0/);
});
