/**
 * With Redis down, an invalidation is not counted as acknowledged:
 * `cachetag_invalidations_total` stays put, and the unacknowledged counter
 * and the pending gauge say what happened (Prometheus, through prom-client).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { createCache } from '../../../src/index.js';
import { registerPrometheusMetrics } from '../../../src/metrics/prometheus.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { freePort, LOOPBACK, onCleanup } from '../../helpers/redis.js';

test('with Redis down, invalidations count as unacknowledged and pending, not as acknowledged', async (t) => {
  const port = await freePort();
  const store = createRedisStore({ client: new Redis({ host: LOOPBACK, port, lazyConnect: true }), writeTimeoutMs: 50 });
  const cache = createCache({ store, logger: { warn: () => {} } });
  onCleanup(t, () => cache.close());
  const registry = new Registry();
  registerPrometheusMetrics(cache, { registry });

  await assert.rejects(cache.invalidate(['Org:1', 'Org:2']));
  await assert.rejects(cache.invalidate('Org:3'));

  const value = async (name: string) => (await registry.getSingleMetric(name)!.get()).values[0]?.value;
  assert.equal(await value('cachetag_invalidations_total'), 0);
  assert.equal(await value('cachetag_unacknowledged_invalidations_total'), 2);
  assert.equal(await value('cachetag_pending_invalidations'), 3);
  assert.deepEqual(
    { invalidations: cache.stats().invalidations, unacknowledged: cache.stats().unacknowledgedInvalidations, pending: cache.stats().pendingInvalidations },
    { invalidations: 0, unacknowledged: 2, pending: 3 },
  );
});
