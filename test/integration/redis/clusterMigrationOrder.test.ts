/**
 * A slot migration moves keys in whatever order it likes (redis-cli's
 * reshard: SETSLOT IMPORTING/MIGRATING, then GETKEYSINSLOT + MIGRATE in small
 * batches). While a shard's tag records and its counter sit on different
 * nodes, an invalidation must still be acknowledged and take effect, and the
 * other instance must never read what it invalidated: here with only the
 * `:t:Product:1` record moved, and with the slot moved one key at a time in
 * GETKEYSINSLOT order.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Redis } from 'ioredis';
import { CacheTagError } from '../../../src/errors.js';
import type { RedisStore } from '../../../src/stores/redis/index.js';
import { shardLayouts, shardOf } from '../../../src/stores/redis/layout.js';
import { LOOPBACK, uniquePrefix } from '../../helpers/redis.js';
import { clusterOrSkip, type RedisCluster } from '../../helpers/redisCluster.js';
import { entry, openStore, tagKey, text } from './support.js';

const SHARDS = 16;

async function setUp(t: TestContext, cluster: RedisCluster) {
  const prefix = uniquePrefix('migrate');
  const options = { prefix, readTimeoutMs: 500, writeTimeoutMs: 500, breakerThreshold: 1000, onError: () => {} };
  const reader = await openStore(t, cluster, options);
  const writer = await openStore(t, cluster, options);
  const slot = shardLayouts(prefix, SHARDS)[shardOf('Product:1', SHARDS)]!.slot;
  const ranges = (await cluster.nodes[0]!.admin.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
  const ownerPort = ranges.find(([a, b]) => slot >= a && slot <= b)![2][1];
  const from = cluster.nodes.find((n) => n.port === ownerPort)!;
  const to = cluster.nodes.find((n) => n.port !== ownerPort)!;
  const fromId = String(await from.admin.cluster('MYID'));
  const toId = String(await to.admin.cluster('MYID'));
  const startMigration = async () => {
    await to.admin.cluster('SETSLOT', slot, 'IMPORTING', fromId);
    await from.admin.cluster('SETSLOT', slot, 'MIGRATING', toId);
  };
  const migrate = (admin: Redis, key: string) => admin.call('MIGRATE', LOOPBACK, String(to.port), key, '0', '5000');
  const finish = async () => {
    for (;;) {
      const keys = (await from.admin.cluster('GETKEYSINSLOT', slot, 100)) as string[];
      if (keys.length === 0) break;
      for (const key of keys) await migrate(from.admin, key);
    }
    for (const node of cluster.nodes) await node.admin.cluster('SETSLOT', slot, 'NODE', toId);
  };
  return { prefix, reader, writer, slot, from, to, startMigration, migrate, finish };
}

/** What the reader gets for `key`: the value's text, 'stale'/'absent', or the error code when the lookup failed (served uncached). */
async function readOf(store: RedisStore, key: string): Promise<string> {
  try {
    return text((await store.get([key])).values[0]);
  } catch (error) {
    assert.ok(error instanceof CacheTagError, String(error));
    return error.code;
  }
}

test('only the tag record moved: the invalidation is acknowledged and the other instance reads no stale value', async (t) => {
  const cluster = await clusterOrSkip(t);
  if (!cluster) return;
  const s = await setUp(t, cluster);
  const { seq } = await s.reader.get([]);
  assert.equal(await s.reader.set([entry('price:1', 'price 100', ['Product:1'], seq)]), 1);
  assert.equal(await readOf(s.reader, 'price:1'), 'price 100');

  await s.startMigration();
  await s.migrate(s.from.admin, tagKey(s.prefix, 'Product:1', SHARDS));
  const started = performance.now();
  await s.writer.invalidate(['Product:1']);
  const ms = performance.now() - started;
  console.log(`invalidation with the record moved: ${ms.toFixed(1)} ms`);
  assert.equal(s.writer.pendingInvalidations, 0);
  for (let i = 0; i < 5; i++) assert.notEqual(await readOf(s.reader, 'price:1'), 'price 100', 'never the invalidated value');

  await s.finish();
  assert.notEqual(await readOf(s.reader, 'price:1'), 'price 100', 'nor after the slot moved');
});

test('the slot moved one key at a time in GETKEYSINSLOT order, invalidating between moves: no stale read', async (t) => {
  const cluster = await clusterOrSkip(t);
  if (!cluster) return;
  const s = await setUp(t, cluster);
  // Entries whose keys hash to the same shard as Product:1, plus a few elsewhere.
  const keys = Array.from({ length: 400 }, (_, i) => `price:${i}`)
    .filter((k) => shardOf(k, SHARDS) === shardOf('Product:1', SHARDS))
    .slice(0, 6);
  assert.ok(keys.length >= 3);
  let version = 0;
  const fill = async () => {
    const { seq } = await s.reader.get([]);
    await s.reader.set(keys.map((k) => entry(k, `v${version}`, ['Product:1'], seq)));
  };
  await fill();
  await s.startMigration();
  let moved = 0;
  let failures = 0;
  for (;;) {
    const batch = (await s.from.admin.cluster('GETKEYSINSLOT', s.slot, 1)) as string[];
    if (batch.length === 0) break;
    await s.migrate(s.from.admin, batch[0]!);
    moved++;
    const old = `v${version}`;
    try {
      await s.writer.invalidate(['Product:1']);
    } catch (error) {
      failures++;
      throw error;
    }
    version++;
    for (const key of keys) assert.notEqual(await readOf(s.reader, key), old, `after ${moved} key(s) moved`);
    await fill().catch(() => {});
  }
  for (const node of cluster.nodes) await node.admin.cluster('SETSLOT', s.slot, 'NODE', String(await s.to.admin.cluster('MYID')));
  console.log(`${moved} keys moved one by one; ${failures} invalidations failed`);
  assert.ok(moved >= 3);
  await fill();
  assert.deepEqual(
    await Promise.all(keys.map((k) => readOf(s.reader, k))),
    keys.map(() => `v${version}`),
    'the store works on the new layout',
  );
});
