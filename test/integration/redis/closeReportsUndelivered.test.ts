/**
 * close() says what it could not deliver: on a Redis refusing invalidations, cache.close() resolves (never rejects) to
 * { undelivered: [tags] } after trying for invalidateTimeoutMs, and onError('close') names them too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { createCache } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { LOOPBACK, ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';

test('cache.close() resolves to the tags Redis never acknowledged', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  await server.admin.acl('SETUSER', 'cache', 'on', '>secret', '~*', '&*', '+@all', '-hincrby');
  const reported: string[] = [];
  const store = createRedisStore({
    client: new Redis({ host: LOOPBACK, port: server.port, username: 'cache', password: 'secret', lazyConnect: true }),
    prefix: uniquePrefix('close'),
    invalidateTimeoutMs: 300,
    breakerThreshold: 1000,
    onError: (error, operation) => reported.push(`${operation}:${error.code}`),
  });
  const cache = createCache({ store });
  assert.ok(await store.whenConnected());
  await assert.rejects(cache.invalidate(['P:1', 'P:2']), { code: 'INVALIDATION_UNACKNOWLEDGED' });
  const result = await cache.close();
  assert.deepEqual([...result.undelivered].sort(), ['P:1', 'P:2']);
  assert.ok(reported.includes('close:INVALIDATION_UNACKNOWLEDGED'), reported.join(', '));
});

test('cache.close() resolves to { undelivered: [] } once Redis took every invalidation', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const cache = createCache({ store: createRedisStore({ client: server.template(), prefix: uniquePrefix('close') }) });
  await cache.invalidate('P:1');
  assert.deepEqual(await cache.close(), { undelivered: [] });
});
