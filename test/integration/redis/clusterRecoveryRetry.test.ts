/**
 * Invalidations a hung primary could not acknowledge stay pending (and other
 * instances may serve those tags until they land), so they must land as soon
 * as the primary answers again: the first successful call on the shard after
 * its failures retries them at once, instead of waiting out the retry backoff
 * grown during the hang.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shardLayouts, shardOf } from '../../../src/stores/redis/layout.js';
import { eventually, onCleanup, sleep, uniquePrefix } from '../../helpers/redis.js';
import { clusterOrSkip } from '../../helpers/redisCluster.js';
import { openStore } from './support.js';

const SHARDS = 16;

test('after a hung primary resumes, its pending invalidations land within about one breaker cooldown', async (t) => {
  const cluster = await clusterOrSkip(t);
  if (!cluster) return;
  const prefix = uniquePrefix('resume');
  const writer = await openStore(t, cluster, { prefix, onError: () => {} });
  const ranges = (await cluster.nodes[0]!.admin.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
  const portOfShard = shardLayouts(prefix, SHARDS).map((s) => ranges.find(([a, b]) => s.slot >= a && s.slot <= b)![2][1]);
  const victim = cluster.nodes[0]!;
  const tag = Array.from({ length: 200 }, (_, i) => `Item:${i}`).find((t) => portOfShard[shardOf(t, SHARDS)] === victim.port)!;

  process.kill(victim.pid, 'SIGSTOP');
  onCleanup(t, () => void process.kill(victim.pid, 'SIGCONT'));
  await assert.rejects(writer.invalidate([tag]));
  assert.equal(writer.pendingInvalidations, 1);
  // Traffic as a server has it: lookups every 20 ms (they probe the hung shard once its breaker lets one through).
  let running = true;
  const traffic = (async () => {
    while (running) {
      await writer.get(['k']).catch(() => {});
      await sleep(20);
    }
  })();
  await sleep(4000);
  process.kill(victim.pid, 'SIGCONT');
  const resumed = performance.now();
  assert.ok(await eventually(() => writer.pendingInvalidations === 0, 10_000), 'delivered');
  const ms = performance.now() - resumed;
  running = false;
  await traffic;
  console.log(`pending invalidation delivered ${ms.toFixed(0)} ms after the primary resumed`);
  assert.ok(ms < 1600, `delivered ${ms.toFixed(0)} ms after the primary resumed`);
});
