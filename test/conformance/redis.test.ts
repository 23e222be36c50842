/**
 * The conformance suite on the shared Redis (127.0.0.1:6379): with one shard
 * (the standalone default, one script per call) and with several shards on
 * one node (the cluster code path: cross-shard tags, second lookup round),
 * each without and with the in-process tier in strict mode (whose contract is
 * the store's own: its shared rounds and held values must not show).
 */
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { deletePrefix, ensureSharedRedis, LOOPBACK, SHARED_REDIS_PORT, uniquePrefix } from '../helpers/redis.js';
import { runStoreConformance } from '../../src/testing/index.js';

const unavailable = await ensureSharedRedis();

if (unavailable !== undefined) {
  test('Redis store conformance', (t) => {
    console.log(`skipped: ${unavailable}`);
    t.skip(unavailable);
  });
} else {
  const admin = new Redis({ host: LOOPBACK, port: SHARED_REDIS_PORT });
  const prefixes: string[] = [];
  const cleanup = async (): Promise<void> => {
    for (const prefix of prefixes.splice(0)) await deletePrefix(admin, prefix);
  };
  for (const [shards, strict] of [
    [1, false],
    [5, false],
    [1, true],
    [5, true],
  ] as const) {
    runStoreConformance(
      `Redis store, ${shards} shard(s)${strict ? ', in-process tier (strict)' : ''}`,
      async () => {
        const prefix = uniquePrefix(`conf${shards}`);
        prefixes.push(prefix);
        // Generous deadlines: this suite checks the contract, the fault tests check timing.
        const store = createRedisStore({
          client: new Redis({ host: LOOPBACK, port: SHARED_REDIS_PORT, lazyConnect: true }),
          prefix,
          shards,
          readTimeoutMs: 2000,
          writeTimeoutMs: 2000,
          ...(strict ? { local: { mode: 'strict' as const } } : {}),
        });
        if (!(await store.whenConnected())) throw new Error('the Redis store did not connect');
        return store;
      },
      cleanup,
    );
  }
  test.after?.(() => admin.quit());
}
