/** Options are checked when the store is created, and the message names the option, what was expected and what came. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { createRedisStore, type RedisStoreOptions } from '../../../src/stores/redis/index.js';

test('bad options throw INVALID_OPTION with a precise message', () => {
  const client = new Redis({ lazyConnect: true });
  const cases: [Partial<RedisStoreOptions> | undefined, string][] = [
    [undefined, 'createRedisStore: option "options" must be an object with a "client"; received undefined.'],
    [{ client: {} as Redis }, 'createRedisStore: option "client" must be an ioredis Redis or Cluster instance; received an object.'],
    [{ client, prefix: '' }, 'createRedisStore: option "prefix" must be a string of 1 to 64 characters without braces or whitespace; received "".'],
    [{ client, prefix: 'a{b}' }, 'createRedisStore: option "prefix" must be a string of 1 to 64 characters without braces or whitespace; received "a{b}".'],
    [{ client, shards: 0 }, 'createRedisStore: option "shards" must be an integer from 1 to 256; received number 0.'],
    [{ client, shards: 1.5 }, 'createRedisStore: option "shards" must be an integer from 1 to 256; received number 1.5.'],
    [{ client, readTimeoutMs: -1 }, 'createRedisStore: option "readTimeoutMs" must be an integer from 1 to 60000; received number -1.'],
    [{ client, writeTimeoutMs: '250' as unknown as number }, 'createRedisStore: option "writeTimeoutMs" must be an integer from 1 to 60000; received "250".'],
    [{ client, maxValueBytes: 0 }, 'createRedisStore: option "maxValueBytes" must be an integer from 1 to 536870912; received number 0.'],
    [{ client, breakerThreshold: 0 }, 'createRedisStore: option "breakerThreshold" must be an integer from 1 to 1000000; received number 0.'],
    [{ client, breakerCooldownMs: Infinity }, 'createRedisStore: option "breakerCooldownMs" must be an integer from 1 to 3600000; received number Infinity.'],
    [{ client, tagTtlMarginMs: -5 }, 'createRedisStore: option "tagTtlMarginMs" must be an integer from 0 to 31536000000; received number -5.'],
    [{ client, socketTimeoutMs: 0 }, 'createRedisStore: option "socketTimeoutMs" must be an integer from 1 to 3600000; received number 0.'],
    [{ client, onError: 'log' as unknown as () => void }, 'createRedisStore: option "onError" must be a function; received "log".'],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => createRedisStore(options as RedisStoreOptions),
      (error: { code?: string; message?: string }) => error.code === 'INVALID_OPTION' && error.message === message,
      message,
    );
  }
  assert.equal(client.status, 'wait', 'the template client is never connected');
  client.disconnect();
});

test('the store uses its own connection and leaves the given client alone', async () => {
  const client = new Redis({ lazyConnect: true });
  const store = createRedisStore({ client });
  assert.equal(store.shardCount, 1);
  await store.close();
  assert.equal(client.status, 'wait');
  client.disconnect();
});
