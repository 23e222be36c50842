/**
 * Slots move between primaries while the store is in use (MOVED, ASK and
 * TRYAGAIN replies, keys half migrated): ioredis follows the redirections,
 * and no read after an acknowledged invalidation ever returns the value it
 * invalidated; afterwards the store works on the new layout.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CacheTagError } from '../../../src/errors.js';
import { LOOPBACK, uniquePrefix } from '../../helpers/redis.js';
import { shardLayouts } from '../../../src/stores/redis/layout.js';
import { clusterOrSkip } from '../../helpers/redisCluster.js';
import { entry, openStore, text } from './support.js';

const run = promisify(execFile);

test('resharding under traffic: redirections are followed and invalidations are never lost to a read', async (t) => {
  const cluster = await clusterOrSkip(t);
  if (!cluster) return;
  const prefix = uniquePrefix('reshard');
  const store = await openStore(t, cluster, { prefix, readTimeoutMs: 500, writeTimeoutMs: 500, onError: () => {} });
  const [from, to] = cluster.nodes as [(typeof cluster.nodes)[number], (typeof cluster.nodes)[number]];
  const fromId = String(await from.admin.cluster('MYID'));
  const toId = String(await to.admin.cluster('MYID'));
  const ownerOf = async (): Promise<(slot: number) => number> => {
    const ranges = (await from.admin.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
    return (slot) => ranges.find(([a, b]) => slot >= a && slot <= b)![2][1];
  };
  const shardSlots = shardLayouts(prefix, store.shardCount).map((s) => s.slot);
  const ownerBefore = await ownerOf();
  const slotsBefore = Array.from({ length: 16384 }, (_, slot) => ownerBefore(slot)).filter((port) => port === from.port).length;

  const keys = Array.from({ length: 60 }, (_, i) => `item:${i}`);
  const version = new Map<string, number>(keys.map((k) => [k, 0]));
  const fillAll = async (): Promise<void> => {
    const { seq } = await store.get([]);
    await store.set(keys.map((k) => entry(k, `${k}@${version.get(k)}`, [`Item:${k}`], seq)));
  };
  await fillAll();

  const reshard = run(
    'redis-cli',
    ['--cluster', 'reshard', `${LOOPBACK}:${from.port}`, '--cluster-from', fromId, '--cluster-to', toId, '--cluster-slots', '2500', '--cluster-yes'],
    { timeout: 60_000 },
  );
  let resharding = true;
  void reshard.finally(() => (resharding = false));

  let checks = 0;
  let served = 0;
  let rejected = 0;
  let duringReshard = 0;
  for (let i = 0; resharding || i < 50; i++) {
    const key = keys[i % keys.length]!;
    const old = `${key}@${version.get(key)}`;
    await store.invalidate([`Item:${key}`]);
    version.set(key, version.get(key)! + 1);
    try {
      const { values, seq } = await store.get([key]);
      checks++;
      if (resharding) duringReshard++;
      assert.notEqual(text(values[0]), old, 'a read after an invalidation never returns the invalidated value');
      await store.set([entry(key, `${key}@${version.get(key)}`, [`Item:${key}`], seq)]);
      const again = (await store.get([key])).values[0];
      if (again instanceof Uint8Array) {
        served++;
        assert.equal(text(again), `${key}@${version.get(key)}`);
      }
    } catch (error) {
      assert.ok(error instanceof CacheTagError && error.code === 'STORE_UNAVAILABLE', String(error));
      rejected++;
    }
  }
  await reshard;
  console.log(`during the reshard: ${duringReshard} checks; overall ${checks} checks, ${served} served, ${rejected} reads rejected`);
  const ownerAfter = await ownerOf();
  assert.equal(Array.from({ length: 16384 }, (_, slot) => ownerAfter(slot)).filter((port) => port === from.port).length, slotsBefore - 2500, 'slots moved');
  const movedShards = shardSlots.filter((slot) => ownerBefore(slot) === from.port && ownerAfter(slot) === to.port).length;
  assert.ok(movedShards > 0, "some of the store's shards moved");
  let redirections = '';
  for (const node of cluster.nodes)
    redirections += ` ${(await node.admin.info('errorstats')).match(/errorstat_(ASK|MOVED|TRYAGAIN):count=\d+/g)?.join(' ') ?? ''}`;
  console.log(`${movedShards} shard(s) moved; redirections seen by the nodes:${redirections.trim() ? redirections : ' none'}`);
  assert.ok(checks > 50 && served > 0, `${checks} checks, ${served} served`);

  // On the new layout, everything works without errors.
  await fillAll();
  const { values } = await store.get(keys);
  assert.ok(values.filter((v) => v instanceof Uint8Array).length > keys.length / 2);
  values.forEach((v, i) => {
    if (v instanceof Uint8Array) assert.equal(text(v), `${keys[i]}@${version.get(keys[i]!)}`);
  });
});
