/**
 * One failure channel: a cache with a logger over a Redis store pointed at a dead port reports every failure (reads,
 * the invalidation, what close() could not deliver) through that logger and stats().errors; nothing reaches console.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execute, parse } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { Redis } from 'ioredis';
import { cacheDirectivesTypeDefs, createCache, isUnacknowledgedInvalidation } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { freePort, LOOPBACK, uniquePrefix } from '../../helpers/redis.js';

test('a Redis store on a dead port: failures go through the cache logger and stats, none to console', async () => {
  const port = await freePort();
  const seen: unknown[] = [];
  const originals = { warn: console.warn, error: console.error, log: console.log, info: console.info };
  for (const name of Object.keys(originals) as (keyof typeof originals)[]) console[name] = (...args: unknown[]) => void seen.push([name, ...args]);
  const warnings: string[] = [];
  try {
    const store = createRedisStore({
      client: new Redis({ host: LOOPBACK, port, lazyConnect: true }),
      prefix: uniquePrefix('dead'),
      writeTimeoutMs: 50,
    });
    const cache = createCache({ store, logger: { warn: (m) => warnings.push(m) } });
    const schema = makeExecutableSchema({
      typeDefs: [cacheDirectivesTypeDefs, 'type Query { answer: Int @cacheControl(maxAge: 60) @cacheTag(format: "Answer") }'],
      resolvers: { Query: { answer: () => 42 } },
    });
    cache.instrumentSchema(schema);
    for (let i = 0; i < 3; i++) {
      const result = await execute({ schema, document: parse('{ answer }'), contextValue: {} });
      assert.deepEqual(JSON.parse(JSON.stringify(result.data)), { answer: 42 }, 'served uncached');
    }
    await assert.rejects(cache.invalidate(['Answer']), isUnacknowledgedInvalidation);
    const closed = await cache.close();
    assert.deepEqual(closed.undelivered, ['Answer']);
    const errors = cache.stats().errors;
    assert.equal(errors.STORE_UNAVAILABLE, 3, JSON.stringify(errors));
    assert.equal(errors.INVALIDATION_UNACKNOWLEDGED, 1, JSON.stringify(errors));
  } finally {
    Object.assign(console, originals);
  }
  assert.deepEqual(seen, [], 'nothing went to console');
  assert.equal(warnings.length, 2, JSON.stringify(warnings, null, 1));
  assert.match(warnings[0]!, /Reading cache entries failed \(STORE_UNAVAILABLE\): Redis store: not connected to Redis/);
  assert.match(warnings[1]!, /Redis store close failed \(INVALIDATION_UNACKNOWLEDGED\).*closed with 1 invalidation\(s\) Redis never acknowledged/);
});
