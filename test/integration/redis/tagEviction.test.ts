/**
 * A lost tag record (deleted, expired, evicted by maxmemory) reads as
 * "invalidated": an entry that depends on it is never served until refilled.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectOrSkip, ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, entryKey, openStore, tagKey, text } from './support.js';

test('deleting a tag record stales the entries that depend on it; a refill recreates it', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('evict');
  const store = await openStore(t, redis, { prefix, readTimeoutMs: 1000 });
  const { seq } = await store.get([]);
  assert.equal(await store.set([entry('a', 'A', ['Org:1:stores:2'], seq), entry('b', 'B', ['Org:2'], seq)]), 2);
  assert.equal(await redis.admin.del(tagKey(prefix, 'Org:1:stores')), 1);
  assert.deepEqual((await store.get(['a', 'b'])).values.map(text), ['stale', 'B']);

  const again = await store.get(['a']);
  assert.equal(await store.set([entry('a', 'A2', ['Org:1:stores:2'], again.seq)]), 1);
  assert.equal(await redis.admin.exists(tagKey(prefix, 'Org:1:stores')), 1);
  assert.deepEqual((await store.get(['a'])).values.map(text), ['A2']);
});

test('tag records outlive their entries, renewed only when a fill needs them to live longer', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('ttl');
  const store = await openStore(t, redis, { prefix, tagTtlMarginMs: 1000 });
  const record = async (): Promise<{ ttl: number; value: string | null }> => ({
    ttl: await redis.admin.pttl(tagKey(prefix, 'P:1')),
    value: await redis.admin.get(tagKey(prefix, 'P:1')),
  });
  // "<epoch><version, 15 digits><expiresAtMs>": the value repeats the expiry (Redis's clock, here the same machine's).
  const expiryHint = (value: string | null): number => Number(value?.slice(31));

  await store.set([entry('short', 's', ['P:1'], (await store.get([])).seq, 2000)]);
  const first = await record();
  assert.ok(first.ttl > 3000 && first.ttl <= 4000, `record TTL ${first.ttl} covers the entry's 2000 ms plus max(2000, margin)`);
  assert.ok(Math.abs(expiryHint(first.value) - (Date.now() + first.ttl)) < 1000, 'the value carries the expiry');
  await store.set([entry('shorter', 's', ['P:1'], (await store.get([])).seq, 1500)]);
  assert.equal((await record()).value, first.value, 'a fill the record already outlives leaves it alone');

  await store.set([entry('long', 'l', ['P:1'], (await store.get([])).seq, 60_000)]);
  const renewed = await record();
  assert.ok(renewed.ttl > 60_000 && renewed.ttl <= 120_000, `renewed for the longer entry: ${renewed.ttl}`);
  await store.set([entry('short2', 's', ['P:1'], (await store.get([])).seq, 2000)]);
  assert.ok((await redis.admin.pttl(tagKey(prefix, 'P:1'))) > 60_000, 'a shorter fill never shortens the record');
  await store.invalidate(['P:1']);
  const invalidated = await record();
  assert.ok(invalidated.ttl > 60_000, 'an invalidation keeps the TTL');
  assert.notEqual(invalidated.value, renewed.value, 'and writes the new version');
  assert.equal(expiryHint(invalidated.value), expiryHint(renewed.value), 'and the expiry');
  assert.equal(await redis.admin.pttl(tagKey(prefix, 'Never:seen')), -2, 'invalidating an unknown tag creates nothing');

  // The margin applies when it is longer than the entry's TTL.
  await store.set([entry('tiny', 't', ['Q:1'], (await store.get([])).seq, 200)]);
  const tiny = await redis.admin.pttl(tagKey(prefix, 'Q:1'));
  assert.ok(tiny > 1000 && tiny <= 1200, `record TTL ${tiny} is the entry's 200 ms plus the 1000 ms margin`);
});

test('under allkeys-lru eviction, no entry whose tag record was evicted is served', async (t) => {
  const server = await ownRedisOrSkip(t, { args: ['--maxmemory', '3mb', '--maxmemory-policy', 'allkeys-lru'] });
  if (!server) return;
  const prefix = uniquePrefix('lru');
  const store = await openStore(t, server, { prefix, readTimeoutMs: 2000, writeTimeoutMs: 2000 });
  const value = Buffer.alloc(1024, 7);
  const count = 4000;
  const keys = Array.from({ length: count }, (_, i) => `item:${i}`);
  for (let i = 0; i < count; i += 100) {
    const { seq } = await store.get([]);
    await store.set(keys.slice(i, i + 100).map((key, j) => entry(key, value, [`Item:${i + j}`], seq)));
  }
  const evicted = Number(/evicted_keys:(\d+)/.exec(await server.admin.info('stats'))![1]);
  assert.ok(evicted > 0, 'the workload must overflow maxmemory');

  // Entries still present whose own record was evicted: the case under test.
  const pipeline = server.admin.pipeline();
  for (let i = 0; i < count; i++) pipeline.exists(entryKey(prefix, keys[i]!)).exists(tagKey(prefix, `Item:${i}`));
  const exists = (await pipeline.exec())!.map(([, n]) => n);
  const orphans = keys.filter((_, i) => exists[2 * i] === 1 && exists[2 * i + 1] === 0);
  assert.ok(orphans.length > 0, 'some entries outlived their tag record');

  for (let i = 0; i < count; i += 100) await store.invalidate(keys.slice(i, i + 100).map((_, j) => `Item:${i + j}`));
  for (let i = 0; i < count; i += 500) {
    const { values } = await store.get(keys.slice(i, i + 500));
    const served = values.filter((v) => v instanceof Uint8Array).length;
    assert.equal(served, 0, `every entry was invalidated; ${served} served anyway`);
  }
  const { values } = await store.get(orphans);
  assert.ok(values.every((v) => v === 'stale' || v === 'absent'));
});
