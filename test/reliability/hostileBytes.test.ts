/**
 * Garbage under every key the store uses (values, and on Redis tag records and sequence hashes): every answer is the
 * resolver's, none fails, none hangs. CI: 8 rounds per store; `npm run reliability -- --long`: 200.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { createMemoryStore } from '../../src/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { fuzzStoredBytes, hostileRounds } from './fuzz/hostileBytes.js';
import { ownRedisOrSkip } from '../helpers/redis.js';

test('memory store: garbage values are misses', async () => {
  const result = await fuzzStoredBytes({ store: createMemoryStore(), rounds: hostileRounds(false) });
  assert.deepEqual(result.examples, []);
  assert.ok(result.corrupted > 0);
  assert.equal(result.wrong + result.failed + result.hung, 0);
  assert.ok(Object.keys(result.absorbed).length > 0, 'no garbage was ever read');
});

test('Redis: garbage entries, tag records and sequences are misses', async (t) => {
  const redis = await ownRedisOrSkip(t);
  if (!redis) return;
  const prefix = 'hostile';
  const store = createRedisStore({
    client: new Redis({ host: redis.host, port: redis.port, lazyConnect: true }),
    prefix,
    readTimeoutMs: 2000,
    writeTimeoutMs: 5000,
  });
  await store.whenConnected();
  const result = await fuzzStoredBytes({ store, rounds: hostileRounds(false), redis: { admin: redis.admin, prefix } });
  await store.close();
  assert.deepEqual(result.examples, []);
  assert.ok(result.corrupted > 0);
  assert.equal(result.wrong + result.failed + result.hung, 0);
});
