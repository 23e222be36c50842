/**
 * The Fastly forwarder, against a local endpoint implementing Fastly's surrogate-key purge: keys encoded as the tags
 * header encodes them, at most 256 per call, `Fastly-Key`, and failures retried.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCache } from '../../../src/index.js';
import { fastlyPurge } from '../../../src/forwarders/index.js';
import { encodeTagForHeader } from '../../../src/http/tagsHeader.js';
import { fastlyEndpoint } from '../../helpers/purgeEndpoints.js';

test('invalidated tags are purged as surrogate keys, encoded as the tags header writes them, 256 per call', async (t) => {
  const fastly = await fastlyEndpoint('svc1', 'key1');
  t.after(() => fastly.close());
  const cache = createCache({ onInvalidate: fastlyPurge({ serviceId: 'svc1', apiKey: 'key1', baseUrl: fastly.url }) });
  t.after(() => cache.close());
  await cache.invalidate(['Product:a b', 'Product:€', 'Store:1,2']);
  await cache.idle();
  assert.deepEqual(fastly.calls, [['Product:a%20b', 'Product:%E2%82%AC', 'Store:1%2C2']]);
  assert.deepEqual(fastly.calls[0], ['Product:a b', 'Product:€', 'Store:1,2'].map(encodeTagForHeader));
  const many = Array.from({ length: 300 }, (_, i) => `Product:${i}`);
  await cache.invalidate(many);
  await cache.idle();
  assert.deepEqual(
    fastly.calls.slice(1).map((keys) => keys.length),
    [256, 44],
  );
  assert.deepEqual(fastly.calls.slice(1).flat(), many);
});

test('a failing purge is retried until it succeeds', async (t) => {
  const fastly = await fastlyEndpoint('svc1', 'key1');
  t.after(() => fastly.close());
  const cache = createCache({
    onInvalidate: fastlyPurge({ serviceId: 'svc1', apiKey: 'key1', baseUrl: fastly.url }),
    invalidationDelivery: { retryDelayMs: 1 },
  });
  t.after(() => cache.close());
  fastly.failNext(2, 503);
  await cache.invalidate('Product:1');
  await cache.idle();
  assert.deepEqual(
    fastly.requests.map((r) => r.status),
    [503, 503, 200],
  );
  assert.deepEqual(fastly.calls, [['Product:1']]);
  assert.deepEqual([cache.stats().forwardRetries, cache.stats().forwardedInvalidations], [2, 1]);
});
