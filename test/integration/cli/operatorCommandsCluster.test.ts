/** The operator commands on a Redis Cluster: 16 shards spread over 3 primaries, every entry and tag found. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../../src/cli/run.js';
import { uniquePrefix } from '../../helpers/redis.js';
import { clusterOrSkip } from '../../helpers/redisCluster.js';
import { entry, openStore } from '../redis/support.js';

test('stats, inspect and tags read every shard of a cluster', async (t) => {
  const cluster = await clusterOrSkip(t);
  if (!cluster) return;
  const prefix = uniquePrefix('cli-cluster');
  const store = await openStore(t, cluster, { prefix, readTimeoutMs: 1000, writeTimeoutMs: 1000 });
  const keys = Array.from({ length: 40 }, (_, i) => `Query.product:${i}`);
  const { seq } = await store.get(keys);
  assert.equal(await store.set(keys.map((key, i) => entry(key, `value ${i}`, [`Product:${i}`], seq))), 40);
  await store.invalidate(['Product:3', 'Product:17']);

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const base = ['--cluster', '--redis', `redis://127.0.0.1:${cluster.nodes[0]!.port}`, '--prefix', prefix, '--json'];
  const stats = await cli('stats', ...base);
  assert.equal(stats.code, 0, stats.err);
  const parsed = (JSON.parse(stats.out) as { store: { entries: number; stale: number; sequences: unknown[] } }).store;
  assert.deepEqual([parsed.entries, parsed.stale, parsed.sequences.length], [40, 2, 16]);

  const inspect = await cli('inspect', ...base, 'Query.product');
  const entries = JSON.parse(inspect.out) as { tags: string[]; fresh: boolean }[];
  assert.equal(entries.length, 40);
  assert.deepEqual(
    entries
      .filter((e) => !e.fresh)
      .map((e) => e.tags.find((tag) => tag.startsWith('Product:')))
      .sort(),
    ['Product:17', 'Product:3'],
  );

  const tags = await cli('tags', ...base, 'Product:17');
  const states = (JSON.parse(tags.out) as Record<string, { tag: string; state: string; version?: number }[]>)['Product:17']!;
  assert.deepEqual(
    states.map((s) => [s.tag, s.state]),
    [
      ['Product', 'recorded'],
      ['Product:17', 'recorded'],
    ],
  );
});
