/**
 * Invalidations have their own, longer deadline (`invalidateTimeoutMs`, default 2 s) than fills (`writeTimeoutMs`,
 * 250 ms): a Redis slowed by the fault proxy past the fill deadline but under the invalidation deadline drops and
 * reports fills, yet acknowledges every invalidation, and another process then reads no stale entry.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import type { CacheTagError } from '../../../src/errors.js';
import { defaultInvalidateTimeoutMs, defaultWriteTimeoutMs, type RedisStoreOperation } from '../../../src/stores/redis/index.js';
import { startFaultProxy } from '../../helpers/faultProxy.js';
import { connectOrSkip, LOOPBACK, onCleanup, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text, timed } from './support.js';

test('a Redis slower than the fill deadline but faster than the invalidation deadline: fills dropped, invalidations acknowledged, no stale read', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const proxy = await startFaultProxy(redis.port);
  onCleanup(t, () => proxy.close());
  const prefix = uniquePrefix('invdeadline');
  // The reader talks to Redis directly; the writer goes through the proxy, with the default deadlines.
  const reader = await openStore(t, redis, { prefix, readTimeoutMs: 5000, writeTimeoutMs: 5000 });
  const reported: [RedisStoreOperation, CacheTagError][] = [];
  const writer = await openStore(
    t,
    { template: () => new Redis({ host: LOOPBACK, port: proxy.port, lazyConnect: true }), admin: redis.admin },
    { prefix, onError: (error, operation) => reported.push([operation, error]) },
  );
  assert.ok(defaultInvalidateTimeoutMs > 2 * 300 + 200, 'the invalidation deadline leaves room for the slowed round trip');

  // 300 ms each way: a 600 ms round trip, over the 250 ms fill deadline, under the invalidation deadline (and under
  // the 1 s socket timeout, which would otherwise reopen the connection).
  proxy.delay(300);
  const rounds = 3;
  for (let round = 0; round < rounds; round++) {
    const tag = `Product:${round}`;
    const { seq } = await reader.get([]);
    assert.equal(await reader.set([entry(`e${round}`, `v${round}`, [tag], seq)]), 1);

    const fill = await timed(() => writer.set([entry(`w${round}`, 'late', [`Other:${round}`], seq)]));
    assert.equal(fill.value, 0, 'a fill slower than writeTimeoutMs is dropped');
    assert.ok(fill.ms < defaultWriteTimeoutMs + 150, `the fill gave up at its deadline (${fill.ms.toFixed(0)} ms)`);

    const invalidated = await timed(() => writer.invalidate([tag]));
    assert.equal(invalidated.error, undefined, `the invalidation was acknowledged: ${String(invalidated.error)}`);
    assert.ok(invalidated.ms >= 550, `it waited for the slowed round trip (${invalidated.ms.toFixed(0)} ms)`);
    assert.equal(writer.pendingInvalidations, 0);
    // Once acknowledged, no process serves the invalidated entry.
    assert.deepEqual((await reader.get([`e${round}`])).values.map(text), ['stale'], `round ${round}: the reader served a stale entry`);
  }
  const fillsReported = reported.filter(([operation]) => operation === 'set');
  assert.equal(fillsReported.length, rounds, 'every dropped fill was reported');
  assert.match(fillsReported[0]![1].message, /deadline/);
  assert.equal(reported.filter(([operation]) => operation !== 'set').length, 0, 'nothing but fills was reported');
});

test('fills that overran their deadline open the breaker of reads and fills, never the one of invalidations', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const proxy = await startFaultProxy(redis.port);
  onCleanup(t, () => proxy.close());
  const prefix = uniquePrefix('invlane');
  const reader = await openStore(t, redis, { prefix, readTimeoutMs: 5000, writeTimeoutMs: 5000 });
  const writer = await openStore(
    t,
    { template: () => new Redis({ host: LOOPBACK, port: proxy.port, lazyConnect: true }), admin: redis.admin },
    // A cooldown longer than the test: the breaker of reads and fills stays open once opened.
    { prefix, breakerThreshold: 3, breakerCooldownMs: 60_000, onError: () => {} },
  );
  const { seq } = await reader.get([]);
  assert.equal(await reader.set([entry('e', 'v', ['Product:1'], seq)]), 1);

  // A 300 ms round trip: over the 250 ms fill deadline, well under the invalidation's 2 s even with a reconnection.
  proxy.delay(150);
  for (let i = 0; i < 4; i++) assert.equal(await writer.set([entry(`w${i}`, 'late', [`Other:${i}`], seq)]), 0, 'a late fill is dropped');
  const refused = await timed(() => writer.get(['e']));
  assert.ok((refused.error as CacheTagError | undefined)?.code === 'STORE_UNAVAILABLE', 'reads are refused: their breaker is open');
  assert.ok(refused.ms < 50, `at once (${refused.ms.toFixed(0)} ms)`);

  const invalidated = await timed(() => writer.invalidate(['Product:1']));
  assert.equal(invalidated.error, undefined, `a Redis that answers within invalidateTimeoutMs acknowledges the invalidation: ${String(invalidated.error)}`);
  assert.equal(writer.pendingInvalidations, 0);
  assert.deepEqual((await reader.get(['e'])).values.map(text), ['stale']);
});
