/**
 * On a Redis Cluster the store's traffic spreads over the primaries: no
 * single primary (let alone one hot slot) carries most of the commands.
 * Measured with per-node INFO commandstats after a mixed workload.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Redis } from 'ioredis';
import { uniquePrefix } from '../../helpers/redis.js';
import { clusterOrSkip } from '../../helpers/redisCluster.js';
import { entry, openStore } from './support.js';

async function commandCalls(admin: Redis): Promise<{ scripts: number; evals: number; all: number }> {
  const info = await admin.info('commandstats');
  let scripts = 0;
  let evals = 0;
  let all = 0;
  for (const [, name, calls] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (name === 'info' || name === 'config' || name === 'cluster' || name === 'command') continue;
    all += Number(calls);
    if (name === 'evalsha' || name === 'eval') scripts += Number(calls);
    if (name === 'eval') evals += Number(calls);
  }
  return { scripts, evals, all };
}

test('a mixed workload spreads over the primaries of a cluster', async (t) => {
  const cluster = await clusterOrSkip(t);
  if (!cluster) return;
  const store = await openStore(t, cluster, { prefix: uniquePrefix('spread'), readTimeoutMs: 1000, writeTimeoutMs: 1000 });
  for (const node of cluster.nodes) await node.admin.config('RESETSTAT');

  const keys = Array.from({ length: 1000 }, (_, i) => `product:${i}`);
  for (let round = 0; round < 150; round++) {
    const batch = Array.from({ length: 8 }, (_, j) => keys[(round * 37 + j * 101) % keys.length]!);
    const lookup = await store.get(batch);
    const misses = batch.filter((_, j) => !(lookup.values[j] instanceof Uint8Array));
    const fills = misses.map((key) => entry(key, `value of ${key}`, [`Product:${key.slice(8)}`, `Category:${Number(key.slice(8)) % 20}`], lookup.seq));
    if (fills.length > 0) await store.set(fills);
    if (round % 5 === 4) await store.invalidate([`Product:${(round * 13) % keys.length}`, `Category:${round % 20}`]);
  }

  const perNode = await Promise.all(cluster.nodes.map((node) => commandCalls(node.admin)));
  const total = perNode.reduce((sum, n) => ({ scripts: sum.scripts + n.scripts, evals: sum.evals + n.evals, all: sum.all + n.all }), {
    scripts: 0,
    evals: 0,
    all: 0,
  });
  const shares = perNode.map((n) => ({ scripts: n.scripts / total.scripts, all: n.all / total.all }));
  console.log(
    `per-primary share of script calls: ${shares.map((s) => `${(s.scripts * 100).toFixed(1)}%`).join(', ')} (${total.scripts} calls); ` +
      `of all commands incl. inside scripts: ${shares.map((s) => `${(s.all * 100).toFixed(1)}%`).join(', ')} (${total.all})`,
  );
  assert.ok(total.scripts > 150 * 16, 'every get reaches every shard');
  assert.equal(total.evals, 0, 'the scripts were loaded on every primary before use: no EVAL');
  for (const share of shares) {
    assert.ok(share.scripts < 0.5, `a primary carries ${(share.scripts * 100).toFixed(1)}% of the script calls`);
    assert.ok(share.all < 0.5, `a primary carries ${(share.all * 100).toFixed(1)}% of all commands`);
    assert.ok(share.scripts > 0.15, 'every primary takes part');
  }
});
