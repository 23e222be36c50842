/**
 * The Cloudflare forwarder, against a local endpoint implementing Cloudflare's purge by cache tag: tags encoded as the
 * tags header encodes them, at most 100 per call, a Bearer token, and a 200 that does not report success retried.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCache } from '../../../src/index.js';
import { cloudflarePurge } from '../../../src/forwarders/index.js';
import { cloudflareEndpoint } from '../../helpers/purgeEndpoints.js';

test('invalidated tags are purged by cache tag, encoded, 100 per call', async (t) => {
  const cloudflare = await cloudflareEndpoint('zone1', 'token1');
  t.after(() => cloudflare.close());
  const cache = createCache({ onInvalidate: cloudflarePurge({ zoneId: 'zone1', apiToken: 'token1', baseUrl: cloudflare.url }) });
  t.after(() => cache.close());
  const tags = ['Product:a b', ...Array.from({ length: 149 }, (_, i) => `Product:${i}`)];
  await cache.invalidate(tags);
  await cache.idle();
  assert.deepEqual(
    cloudflare.calls.map((call) => call.length),
    [100, 50],
  );
  assert.equal(cloudflare.calls[0]![0], 'Product:a%20b');
});

test('a 200 answer without "success": true is a failure: retried, then dropped with a warning', async (t) => {
  const cloudflare = await cloudflareEndpoint('zone1', 'token1');
  t.after(() => cloudflare.close());
  const warnings: string[] = [];
  const cache = createCache({
    logger: { warn: (m) => warnings.push(m) },
    onInvalidate: cloudflarePurge({ zoneId: 'zone1', apiToken: 'token1', baseUrl: cloudflare.url }),
    invalidationDelivery: { retryDelayMs: 1, maxAttempts: 3 },
  });
  t.after(() => cache.close());
  cloudflare.failNext(3, 200);
  await cache.invalidate('Product:1');
  await cache.idle();
  assert.equal(cloudflare.requests.length, 3);
  assert.equal(cache.stats().droppedInvalidations, 1);
  assert.match(warnings.join('\n'), /"cloudflare" failed 3 times \(last: Cloudflare's purge API \(.*\) did not report success/);
});
