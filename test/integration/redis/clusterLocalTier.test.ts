/**
 * The in-process tier and leases on a real 3-primary Redis Cluster (16 shards): strict mode serves nothing an
 * acknowledged invalidation made stale; fast mode drops exactly the invalidated entries when the broadcast arrives
 * (the invalidate script publishes on whichever primary holds the shard, and Redis forwards it to every node), with
 * no flush; and leases make a cold key resolve once across several stores.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execute, parse } from 'graphql';
import { createCache } from '../../../src/index.js';
import { uniquePrefix, eventually } from '../../helpers/redis.js';
import { clusterOrSkip } from '../../helpers/redisCluster.js';
import { slowOrgSchema } from '../../helpers/slowOrgSchema.js';
import { entry, openStore, text } from './support.js';

const patient = { readTimeoutMs: 2000, writeTimeoutMs: 2000, socketTimeoutMs: 10_000 };

test('on a Redis Cluster: strict zero stale, fast drops on broadcast without a flush, leases resolve once', async (t) => {
  const cluster = await clusterOrSkip(t);
  if (!cluster) return;

  await t.test('strict: no held entry is served after its invalidation was acknowledged', async (t) => {
    const prefix = uniquePrefix('cl-strict');
    const writer = await openStore(t, cluster, { prefix, ...patient });
    const reader = await openStore(t, cluster, { prefix, ...patient, local: { mode: 'strict' } });
    let stale = 0;
    for (let round = 0; round < 12; round++) {
      // Keys of this round only: a tag cache changes a value by invalidating it, never by writing over it.
      const keys = Array.from({ length: 24 }, (_, i) => `k${i}-${round}`);
      const { seq } = await writer.get(keys);
      assert.equal(await writer.set(keys.map((k, i) => entry(k, `${k}@${round}`, [`P:${i}`], seq))), keys.length);
      await reader.get(keys);
      const held = await reader.get(keys);
      assert.deepEqual(
        held.values.map(text),
        keys.map((k) => `${k}@${round}`),
        `round ${round}: the reader sees every fill`,
      );
      const victim = (round * 7) % keys.length;
      await writer.invalidate([`P:${victim}`]);
      const after = await reader.get(keys);
      if (text(after.values[victim]) === `${keys[victim]}@${round}`) stale++;
      assert.equal(after.values.filter((v) => v instanceof Uint8Array).length, keys.length - 1, 'every other entry is still served');
    }
    assert.equal(stale, 0);
    assert.ok(reader.localTier!.hits > 0, 'the tier served');
  });

  await t.test('fast: a broadcast published on any primary drops exactly its entries, without a flush', async (t) => {
    const prefix = uniquePrefix('cl-fast');
    const reader = await openStore(t, cluster, { prefix, ...patient, local: { mode: 'fast', gapMs: 1500 } });
    assert.ok(await eventually(() => !reader.localTier!.bypassed, 10_000), 'subscriber ready');
    const writer = await openStore(t, cluster, { prefix, ...patient });
    const keys = Array.from({ length: 16 }, (_, i) => `k${i}`);
    const { seq } = await reader.get(keys);
    assert.equal(await reader.set(keys.map((k, i) => entry(k, `old-${k}`, [`P:${i}`], seq))), keys.length);
    const flushes = reader.localTier!.flushes;
    // Tags spread over shards, so the scripts that publish run on every primary.
    const victims = [0, 5, 10, 15];
    await writer.invalidate(victims.map((i) => `P:${i}`));
    assert.ok(await eventually(() => reader.localTier!.entries === keys.length - victims.length, 5000, 5), 'the invalidated entries are dropped');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(reader.localTier!.flushes, flushes, 'no flush: every shard raised was announced');
    const hits = reader.localTier!.hits;
    const { values } = await reader.get(keys);
    values.forEach((v, i) => {
      if (victims.includes(i)) assert.notEqual(text(v), `old-k${i}`, `k${i} was invalidated`);
      else assert.equal(text(v), `old-k${i}`);
    });
    assert.equal(reader.localTier!.hits, hits + keys.length - victims.length, 'the others are still served from memory');
  });

  await t.test('leases: 4 stores x 50 concurrent requests for one cold key run the resolver once', async (t) => {
    const prefix = uniquePrefix('cl-lease');
    let runs = 0;
    const caches = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const store = await openStore(t, cluster, { prefix, ...patient, leases: { waitMs: 2000 }, local: { mode: 'fast' } });
        const cache = createCache({ store, logger: { warn: () => {} } });
        const schema = slowOrgSchema(() => runs++);
        cache.instrumentSchema(schema);
        return { cache, schema };
      }),
    );
    const document = parse('{ org(id: "1") { id name } }');
    const results = await Promise.all(caches.flatMap(({ schema }) => Array.from({ length: 50 }, () => execute({ schema, document, contextValue: {} }))));
    assert.ok(results.every((r) => r.errors === undefined && (r.data as { org: { name: string } }).org.name === 'org 1'));
    await Promise.all(caches.map(({ cache }) => cache.idle()));
    assert.equal(runs, 1);
  });
});
