/**
 * Zero cross-user responses in interleaved PRIVATE requests over three cache instances sharing one store (memory
 * store, Redis): PRIVATE root fields, scopes decided by the concrete type behind an interface and a union, aliases,
 * fragments, anonymous clients (CI: 2,000 requests per store; `npm run reliability -- --long`: 10,000).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { createMemoryStore } from '../../src/index.js';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { isolationRequests, runPrivateIsolation } from './isolation/privateRequests.js';
import { connectOrSkip, deletePrefix, onCleanup, uniquePrefix } from '../helpers/redis.js';

test('memory store shared by three instances: no cross-user response', async () => {
  const result = await runPrivateIsolation({ store: createMemoryStore(), instances: 3, requests: isolationRequests(false) });
  assert.deepEqual(result.examples, []);
  assert.equal(result.crossUser, 0);
  assert.equal(result.failed, 0);
  assert.ok(result.operationHits > 0 && result.fieldHits > 0, 'both tiers answered some requests');
});

test('Redis shared by three instances: no cross-user response', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('isolation');
  onCleanup(t, () => deletePrefix(redis.admin, prefix));
  const store = createRedisStore({
    client: new Redis({ host: redis.host, port: redis.port, lazyConnect: true }),
    prefix,
    readTimeoutMs: 2000,
    writeTimeoutMs: 5000,
  });
  await store.whenConnected();
  onCleanup(t, () => store.close());
  const result = await runPrivateIsolation({ store, instances: 3, requests: isolationRequests(false) });
  assert.deepEqual(result.examples, []);
  assert.equal(result.crossUser, 0);
  assert.equal(result.failed, 0);
  assert.ok(result.operationHits > 0 && result.fieldHits > 0, 'both tiers answered some requests');
});
