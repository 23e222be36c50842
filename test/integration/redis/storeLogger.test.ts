/**
 * The Redis store's warnings go through the logger given to createCache (not
 * to console) when the store was created without its own `onError`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCache } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { onCleanup, ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';

test("a Redis store's warnings go to createCache({ logger })", async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const store = createRedisStore({ client: server.template(), prefix: uniquePrefix('log'), breakerThreshold: 1000 });
  const warnings: string[] = [];
  const cache = createCache({ store, logger: { warn: (m) => warnings.push(m) } });
  onCleanup(t, () => cache.close());
  assert.ok(await store.whenConnected());
  const { seq } = await store.get([]);
  const seen: unknown[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args);
  try {
    // A fill on a server refusing writes: the store absorbs it and reports it.
    await server.admin.config('SET', 'maxmemory', '1');
    await server.admin.config('SET', 'maxmemory-policy', 'noeviction');
    assert.equal(await store.set([{ key: 'k', value: Buffer.from('v'), tags: ['T:1'], ttlMs: 1000, fetchSeq: seq }]), 0);
  } finally {
    console.warn = original;
    await server.admin.config('SET', 'maxmemory', '0');
  }
  assert.deepEqual(seen, [], 'nothing went to console');
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(warnings[0]!, /Redis store set failed.*OOM/);
});
