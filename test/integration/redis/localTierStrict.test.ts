/**
 * The in-process tier in strict mode (`createRedisStore({ local: { mode: 'strict' } })`): a held value is served
 * without its bytes coming from Redis (the get's one round is a catch-up on the shard's log of invalidations), also
 * while other tags are invalidated, never past its TTL, and never after an invalidation acknowledged by another
 * instance: zero stale reads, as without the tier.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RedisStore } from '../../../src/stores/redis/index.js';
import { commandCalls, connectOrSkip, ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text } from './support.js';

const stats = (s: RedisStore) => s.localTier!;

test('strict: a held value is served after a sequence check only, and is read again once its tag is invalidated elsewhere', async (t) => {
  // A server of its own: commands are counted server-wide (INFO commandstats), and other processes use 6379.
  const redis = await ownRedisOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('local-strict');
  const a = await openStore(t, redis, { prefix, local: { mode: 'strict' } });
  const b = await openStore(t, redis, { prefix, local: { mode: 'strict' } });
  const { seq } = await a.get(['k']);
  assert.equal(await a.set([entry('k', 'v1', ['P:1'], seq)]), 1);
  assert.equal(text((await b.get(['k'])).values[0]), 'v1', 'b reads it from Redis and keeps it');
  const before = await commandCalls(redis.admin);
  assert.equal(text((await b.get(['k'])).values[0]), 'v1');
  const after = await commandCalls(redis.admin);
  assert.equal(stats(b).hits, 1, 'served from process memory');
  assert.equal((after.getrange ?? 0) - (before.getrange ?? 0), 0, 'no value bytes read from Redis');

  await a.invalidate(['P:1']);
  assert.deepEqual((await b.get(['k'])).values, ['stale'], 'never served after an acknowledged invalidation');
  assert.equal(stats(b).hits, 1);
});

test('strict: zero stale reads while another instance invalidates and refills concurrently', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('local-strict-race');
  // The writer's reads only fetch sequences for its fills: a loaded machine must not fail them at 50 ms.
  const writer = await openStore(t, redis, { prefix, local: true, readTimeoutMs: 2000, writeTimeoutMs: 2000 });
  const readers = [await openStore(t, redis, { prefix, local: true }), await openStore(t, redis, { prefix, local: true })];
  let version = 0;
  let acknowledged = 0;
  let stale = 0;
  let served = 0;
  let running = true;
  const reading = readers.map(async (reader) => {
    while (running) {
      const floor = acknowledged;
      // A loaded machine may miss the 50 ms read deadline: that get is a miss, not a stale read.
      const lookup = await reader.get(['k', 'other']).catch(() => undefined);
      for (const value of lookup?.values ?? []) {
        if (!(value instanceof Uint8Array)) continue;
        served++;
        if (Number(text(value).split(':')[1]) < floor) stale++;
      }
      // Yield to I/O: a get answered from the tier, or refused by an open breaker, settles without any, and a loop of
      // microtasks alone would starve the writer (and the breaker's probe) for good.
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  try {
    for (let i = 0; i < 150; i++) {
      const { seq } = await writer.get(['k', 'other']);
      await writer.set([entry('k', `k:${version}`, ['P:1'], seq), entry('other', `o:${version}`, ['P:2'], seq)]);
      await new Promise((resolve) => setImmediate(resolve));
      version++;
      await writer.invalidate(i % 2 === 0 ? ['P:1', 'P:2'] : ['P']);
      acknowledged = version;
    }
  } finally {
    // Whatever happened to the writer, the readers stop (a failed test must not leave them spinning).
    running = false;
    await Promise.all(reading);
  }
  assert.equal(stale, 0, `stale reads out of ${served}`);
  // Whether the race let a reader serve from its tier depends on scheduling; that the same readers do serve from it
  // once the writes stop does not.
  const { seq } = await writer.get(['k']);
  await writer.set([entry('k', `k:${version}`, ['P:1'], seq)]);
  // A loaded machine may run a get past the 50 ms read deadline (it fails: a miss, never a wrong value): a few tries.
  const readK = async (reader: RedisStore) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const lookup = await reader.get(['k']).catch(() => undefined);
      if (lookup) return text(lookup.values[0]);
    }
    return 'every get missed its deadline';
  };
  for (const reader of readers) assert.equal(await readK(reader), `k:${version}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const reader of readers) {
    const hitsBefore = stats(reader).hits;
    for (let attempt = 0; attempt < 5 && stats(reader).hits === hitsBefore; attempt++) assert.equal(await readK(reader), `k:${version}`);
    assert.ok(stats(reader).hits > hitsBefore, 'the reader serves the held value from its tier');
  }
});

test('strict: a held value is never served past its TTL in Redis, whether this instance wrote it or read it', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('local-strict-ttl');
  const a = await openStore(t, redis, { prefix, local: { mode: 'strict' }, readTimeoutMs: 2000, writeTimeoutMs: 2000 });
  const b = await openStore(t, redis, { prefix, local: { mode: 'strict' }, readTimeoutMs: 2000, writeTimeoutMs: 2000 });
  const ttlMs = 300;
  const { seq } = await a.get(['k']);
  assert.equal(await a.set([entry('k', 'v', ['P:1'], seq, ttlMs)]), 1);
  const acknowledged = performance.now();
  const read = text((await b.get(['k'])).values[0]);
  // On a loaded machine the read may come after the TTL; what matters is the read after it.
  if (performance.now() - acknowledged < ttlMs / 2) assert.equal(read, 'v', 'b reads it from Redis and keeps it');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, acknowledged + 2 * ttlMs - performance.now())));
  assert.deepEqual((await a.get(['k'])).values, ['absent'], 'the writer does not hold it past its TTL');
  assert.deepEqual((await b.get(['k'])).values, ['absent'], 'the reader does not hold it past its TTL');
});

test('strict: an invalidation of other tags costs no re-read; one the log cannot tell about drops what is held', async (t) => {
  const redis = await ownRedisOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('local-strict-log');
  const a = await openStore(t, redis, { prefix, readTimeoutMs: 2000, writeTimeoutMs: 2000 });
  const b = await openStore(t, redis, { prefix, local: { mode: 'strict' }, readTimeoutMs: 2000, writeTimeoutMs: 2000 });
  const { seq } = await a.get(['k', 'j']);
  assert.equal(await a.set([entry('k', 'v', ['P:1'], seq), entry('j', 'w', ['P:2'], seq)]), 2);
  assert.deepEqual((await b.get(['k', 'j'])).values.map(text), ['v', 'w'], 'b reads them from Redis and keeps them');
  await b.get(['k']);

  await a.invalidate(['P:2']);
  const before = await commandCalls(redis.admin);
  const hits = stats(b).hits;
  assert.deepEqual((await b.get(['k', 'j'])).values.map(text), ['v', 'stale']);
  const after = await commandCalls(redis.admin);
  assert.equal(stats(b).hits, hits + 1, 'k is served from process memory: only P:2 moved');
  assert.equal((after.getrange ?? 0) - (before.getrange ?? 0), 1, 'only j, whose tag moved, is read from Redis');

  // More raises than the shard's log keeps: the tier cannot tell what moved, so it holds nothing it cannot vouch for.
  for (let i = 0; i < 300; i++) await a.invalidate([`Q:${i}`]);
  const flushes = stats(b).flushes;
  assert.deepEqual((await b.get(['k'])).values.map(text), ['v']);
  assert.equal(stats(b).flushes, flushes + 1, 'dropped everything held');
  assert.equal(stats(b).hits, hits + 1, 'and read k from Redis');
  await a.invalidate(['P:1']);
  assert.deepEqual((await b.get(['k'])).values, ['stale'], 'never served after an acknowledged invalidation');
});
