/**
 * One hung (SIGSTOP) or dead (SIGKILL) primary must cost only the shards it serves: the
 * invalidations of tags on healthy shards are acknowledged at once and never
 * held pending, and lookups of keys on healthy shards keep being answered
 * from the cache, on every instance, once the hung shards' breakers opened
 * (a deadline missed on one shard does not count against the others).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CacheTagError } from '../../../src/errors.js';
import { shardLayouts, shardOf } from '../../../src/stores/redis/layout.js';
import { onCleanup, uniquePrefix } from '../../helpers/redis.js';
import { clusterOrSkip } from '../../helpers/redisCluster.js';
import { entry, openStore, text } from './support.js';

const SHARDS = 16;

for (const [fault, signal] of [
  ['a hung primary (SIGSTOP)', 'SIGSTOP'],
  ['a killed primary (SIGKILL)', 'SIGKILL'],
] as const) {
  test(`${fault}: invalidations and lookups on healthy shards are unaffected`, async (t) => {
    const cluster = await clusterOrSkip(t);
    if (!cluster) return;
    const prefix = uniquePrefix('hung');
    const options = { prefix, onError: () => {} };
    const reader = await openStore(t, cluster, options);
    const writer = await openStore(t, cluster, options);
    const ranges = (await cluster.nodes[0]!.admin.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
    const portOfShard = shardLayouts(prefix, SHARDS).map((s) => ranges.find(([a, b]) => s.slot >= a && s.slot <= b)![2][1]);
    const victim = cluster.nodes[0]!;
    const healthy = (value: string) => portOfShard[shardOf(value, SHARDS)] !== victim.port;
    const items = Array.from({ length: 500 }, (_, i) => `item:${i}`)
      .filter((k) => healthy(k) && healthy(`Item:${k}`))
      .slice(0, 16);
    assert.equal(items.length, 16);
    const untouched = items.splice(12);
    const { seq } = await reader.get([]);
    assert.equal(await reader.set([...items, ...untouched].map((k) => entry(k, `${k}@0`, [`Item:${k}`], seq))), 16);

    process.kill(victim.pid, signal);
    if (signal === 'SIGSTOP') onCleanup(t, () => void process.kill(victim.pid, 'SIGCONT'));

    const invalidationMs: number[] = [];
    const lookups: { ms: number; read: string }[] = [];
    for (const [i, key] of items.entries()) {
      const started = performance.now();
      await writer.invalidate([`Item:${key}`]); // rejects (fails the test) if not acknowledged
      invalidationMs.push(performance.now() - started);
      const other = untouched[i % untouched.length]!;
      const at = performance.now();
      const read = await reader.get([key, other]).then(
        (lookup) => lookup.values.map(text).join(' '),
        (error: unknown) => (error instanceof CacheTagError ? error.code : String(error)),
      );
      lookups.push({ ms: performance.now() - at, read });
      assert.ok(!read.startsWith(`${key}@0`), `the invalidated value is never read: ${read}`);
    }
    console.log(`invalidations (ms): ${invalidationMs.map((ms) => ms.toFixed(0)).join(' ')}`);
    console.log(`lookups: ${lookups.map((l) => `${l.ms.toFixed(0)}ms ${l.read}`).join(' | ')}`);
    assert.equal(writer.pendingInvalidations, 0, 'every invalidation of a healthy shard was acknowledged');
    assert.ok(Math.max(...invalidationMs) < 100, 'no invalidation waited for the hung primary');
    const late = lookups.slice(-5);
    for (const l of late) {
      assert.match(l.read, /^stale item:\d+@0$/, 'answered: the invalidated key stale, the other one a hit');
      assert.ok(l.ms < 40, `answered without waiting for the hung primary (${l.ms.toFixed(1)} ms)`);
    }

    if (signal === 'SIGSTOP') process.kill(victim.pid, 'SIGCONT');
  });
}
