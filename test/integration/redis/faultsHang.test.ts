/**
 * Redis hanging under load (connections accepted, bytes swallowed, nothing
 * answered): calls end at their deadlines, the circuit breaker opens so later
 * calls do not even wait, and after the network heals the store drops the
 * wedged connections and closes the breaker by itself.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { CacheTagError } from '../../../src/errors.js';
import { defaultInvalidateTimeoutMs } from '../../../src/stores/redis/index.js';
import { startFaultProxy } from '../../helpers/faultProxy.js';
import { connectOrSkip, eventually, LOOPBACK, onCleanup, sleep, uniquePrefix } from '../../helpers/redis.js';
import { openStore, startLoad, timed } from './support.js';

test('a hung Redis: deadlines hold, the breaker opens, then recovers after the network heals', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const proxy = await startFaultProxy(redis.port);
  onCleanup(t, () => proxy.close());
  const store = await openStore(
    t,
    { template: () => new Redis({ host: LOOPBACK, port: proxy.port, lazyConnect: true }), admin: redis.admin },
    { prefix: uniquePrefix('hang'), breakerCooldownMs: 300, onError: () => {} },
  );

  const load = startLoad(store);
  await sleep(200);
  const hangAt = performance.now();
  proxy.blackhole();
  const opened = await eventually(() => store.breakerState !== 'closed', 3000, 5);
  assert.ok(opened, 'the breaker opens after consecutive deadline misses');

  const refused = await timed(() => store.get(['k']));
  assert.ok(refused.error instanceof CacheTagError && refused.error.code === 'STORE_UNAVAILABLE');
  assert.ok(refused.ms < 20, `an open breaker answers at once (${refused.ms.toFixed(1)} ms)`);
  const invalidated = await timed(() => store.invalidate(['Load:load:1']));
  assert.ok(invalidated.error instanceof CacheTagError && invalidated.error.code === 'INVALIDATION_UNACKNOWLEDGED', String(invalidated.error));
  assert.ok(
    invalidated.ms < defaultInvalidateTimeoutMs + 150 && store.pendingInvalidations >= 1,
    `a hung invalidation rejects within its deadline (${invalidated.ms.toFixed(0)} ms) and is kept pending`,
  );

  await sleep(700);
  const healAt = performance.now();
  proxy.heal();
  assert.ok(await eventually(() => store.breakerState === 'closed' && store.pendingInvalidations === 0, 8000), 'recovered and delivered');
  assert.ok(await eventually(async () => (await timed(() => store.get(['probe']))).error === undefined, 5000), 'reads work again');
  await load.stop();

  const during = load.records.filter((r) => r.at > hangAt && r.at < healAt);
  assert.ok(during.length > 20);
  for (const r of during) {
    if (r.op === 'get') {
      assert.ok(r.error instanceof CacheTagError && r.error.code === 'STORE_UNAVAILABLE');
      assert.ok(r.ms < 100, `get settled in ${r.ms.toFixed(1)} ms (deadline 50)`);
    } else if (r.op === 'invalidate') {
      // Not acknowledged: rejects within the write deadline, the tag kept pending for retry.
      assert.ok(r.ok || (r.error instanceof CacheTagError && r.error.code === 'INVALIDATION_UNACKNOWLEDGED'), `invalidate: ${String(r.error)}`);
      assert.ok(r.ms < defaultInvalidateTimeoutMs + 200, `${r.op} settled in ${r.ms.toFixed(1)} ms`);
    } else {
      assert.ok(r.ok, `${r.op} never rejects`);
      assert.ok(r.ms < 320, `${r.op} settled in ${r.ms.toFixed(1)} ms (deadline 250)`);
    }
  }
});

test('a slow Redis: reads slower than readTimeoutMs are abandoned at the deadline; a fast one is used', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const proxy = await startFaultProxy(redis.port);
  onCleanup(t, () => proxy.close());
  const store = await openStore(
    t,
    { template: () => new Redis({ host: LOOPBACK, port: proxy.port, lazyConnect: true }), admin: redis.admin },
    { prefix: uniquePrefix('slow'), breakerThreshold: 1000, onError: () => {} },
  );
  proxy.delay(40);
  const slow = await timed(() => store.get(['k']));
  assert.ok(slow.error instanceof CacheTagError && slow.error.code === 'STORE_UNAVAILABLE', 'an 80 ms round trip misses the 50 ms deadline');
  assert.ok(slow.ms >= 45 && slow.ms < 90, `rejected at the deadline (${slow.ms.toFixed(1)} ms)`);
  const set = await timed(() => store.set([]));
  assert.equal(set.value, 0);
  proxy.delay(5);
  await sleep(100);
  const fast = await timed(() => store.get(['k']));
  assert.deepEqual(fast.value?.values, ['absent'], 'a 10 ms round trip is within the deadline');
});
