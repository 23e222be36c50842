/**
 * The store conformance suite on a real Redis Cluster of three primaries,
 * with the cluster default of 16 shards: every script stays in one slot (a
 * CROSSSLOT error would fail a call), entries with tags in other shards take
 * the second lookup round, and no node reports a CROSSSLOT error afterwards.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { redisRequired, uniquePrefix } from '../../helpers/redis.js';
import { type RedisCluster, startRedisCluster } from '../../helpers/redisCluster.js';
import { runStoreConformance } from '../../../src/testing/index.js';

let cluster: RedisCluster | undefined;
let unavailable: string | undefined;
try {
  cluster = await startRedisCluster(3);
} catch (error) {
  if (redisRequired) throw error;
  unavailable = `a Redis Cluster could not be started: ${(error as Error).message}`;
}

if (cluster === undefined) {
  test('Redis Cluster conformance', (t) => {
    console.log(`skipped: ${unavailable}`);
    t.skip(unavailable);
  });
} else {
  const running = cluster;
  after(() => running.stop());
  runStoreConformance('Redis store on a 3-primary cluster', async () => {
    const store = createRedisStore({ client: running.template(), prefix: uniquePrefix('cluster'), readTimeoutMs: 2000, writeTimeoutMs: 2000 });
    assert.equal(store.shardCount, 16);
    // A cluster that has just formed may take a few seconds to answer every shard's first check on a busy machine.
    if (!(await store.whenConnected(15_000))) throw new Error('the Redis store did not connect to the cluster');
    return store;
  });
  test('no node saw a cross-slot command', async () => {
    for (const node of running.nodes) {
      const errors = await node.admin.info('errorstats');
      assert.doesNotMatch(errors, /CROSSSLOT/, `node ${node.port}: ${errors}`);
    }
  });
}
