/**
 * An application starts while Redis is down: the store is created anyway,
 * reads and fills bypass at once (no waiting, no queueing), an invalidation
 * waits for the connection within its deadline and then rejects (kept
 * pending), and the cache comes
 * to life by itself when Redis does, delivering invalidations made meanwhile.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { CacheTagError } from '../../../src/errors.js';
import { createRedisStore, defaultInvalidateTimeoutMs } from '../../../src/stores/redis/index.js';
import { eventually, freePort, LOOPBACK, onCleanup, redisRequired, skipOrFail, startRedisServer } from '../../helpers/redis.js';
import { entry, text, timed } from './support.js';

test('starting without Redis: calls bypass at once, then the store connects by itself', async (t) => {
  const port = await freePort();
  const reported: string[] = [];
  const store = createRedisStore({ client: new Redis({ host: LOOPBACK, port, lazyConnect: true }), onError: (e, op) => void reported.push(op) });
  onCleanup(t, () => store.close());

  const get = await timed(() => store.get(['k']));
  assert.ok(get.error instanceof CacheTagError && get.error.code === 'STORE_UNAVAILABLE');
  assert.ok(get.ms < 10, `get bypassed in ${get.ms.toFixed(1)} ms`);
  const set = await timed(() => store.set([entry('k', 'v', [], 'x')]));
  assert.equal(set.value, 0);
  const invalidate = await timed(() => store.invalidate(['Product:1']));
  assert.ok(invalidate.error instanceof CacheTagError && invalidate.error.code === 'INVALIDATION_UNACKNOWLEDGED', String(invalidate.error));
  assert.ok(
    invalidate.ms >= defaultInvalidateTimeoutMs - 10 && invalidate.ms < defaultInvalidateTimeoutMs + 150,
    `waited for the connection within invalidateTimeoutMs (${invalidate.ms.toFixed(1)} ms)`,
  );
  assert.equal(store.pendingInvalidations, 1);
  assert.deepEqual(reported, ['set'], 'the rejection is the report');
  assert.equal(store.breakerState, 'closed', 'failing to connect costs nothing, so it does not open the breaker');

  let server;
  try {
    server = await startRedisServer({ port });
  } catch (error) {
    if (redisRequired) throw error;
    skipOrFail(t, (error as Error).message);
    return;
  }
  onCleanup(t, () => server.stop());
  assert.ok(await store.whenConnected(8000), 'connected once Redis came up');
  assert.ok(await eventually(() => store.pendingInvalidations === 0, 5000), 'the invalidation made while down was delivered');
  const { seq, values } = await store.get(['k']);
  assert.deepEqual(values, ['absent']);
  assert.equal(await store.set([entry('k', 'v', ['Product:1'], seq)]), 1);
  assert.deepEqual((await store.get(['k'])).values.map(text), ['v']);
  await store.close(); // before the server it talks to stops
});
