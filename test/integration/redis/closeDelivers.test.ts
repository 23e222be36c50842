/**
 * `close()` on Redis keeps delivering pending invalidations, waiting for the
 * connection, for up to `invalidateTimeoutMs`; what it could not deliver it names
 * through `onError('close')`, and it resolves either way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import type { CacheTagError } from '../../../src/errors.js';
import { createRedisStore, type RedisStoreOperation } from '../../../src/stores/redis/index.js';
import { freePort, LOOPBACK, onCleanup, ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text } from './support.js';

test('close() waits for Redis to come back and delivers what is pending', async (t) => {
  const port = await freePort();
  const prefix = uniquePrefix('close');
  const reported: string[] = [];
  const store = createRedisStore({
    client: new Redis({ host: LOOPBACK, port, lazyConnect: true }),
    prefix,
    invalidateTimeoutMs: 4000,
    onError: (e, op) => void reported.push(`${op}:${e.code}`),
  });
  onCleanup(t, () => store.close());
  const attempt = store.invalidate(['Org:1']);
  // Redis comes up while invalidate() waits for it; invalidate is acknowledged.
  const server = await ownRedisOrSkip(t, { port });
  if (!server) return;
  await attempt;
  const other = await openStore(t, server, { prefix });
  const { seq } = await other.get([]);
  assert.equal(await other.set([entry('e1', 'one', ['Org:2'], seq)]), 1);

  // An invalidation Redis refuses (HINCRBY denied): pending; Redis accepts again while close() waits.
  await server.admin.acl('SETUSER', 'default', '-hincrby');
  await assert.rejects(store.invalidate(['Org:2']));
  assert.equal(store.pendingInvalidations, 1);
  const closing = store.close();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await server.admin.acl('SETUSER', 'default', '+hincrby');
  await closing;
  assert.deepEqual(reported, [], 'delivered before the deadline, nothing to report');
  assert.deepEqual((await other.get(['e1'])).values.map(text), ['stale'], 'the invalidation pending at close() reached Redis');
});

test('close() names the invalidations it could not deliver, and resolves', async () => {
  const port = await freePort();
  const reported: { op: RedisStoreOperation; error: CacheTagError }[] = [];
  const store = createRedisStore({
    client: new Redis({ host: LOOPBACK, port, lazyConnect: true }),
    invalidateTimeoutMs: 200,
    onError: (error, op) => void reported.push({ op, error }),
  });
  await assert.rejects(store.invalidate(['Org:1', 'Org:2']));
  const started = performance.now();
  await store.close();
  const ms = performance.now() - started;
  assert.ok(ms >= 190 && ms < 600, `close waited for its deadline (${ms.toFixed(0)} ms)`);
  assert.equal(reported.length, 1);
  assert.equal(reported[0]!.op, 'close');
  assert.equal(reported[0]!.error.code, 'INVALIDATION_UNACKNOWLEDGED');
  assert.match(reported[0]!.error.message, /closed with 2 invalidation\(s\) Redis never acknowledged within 200 ms \(Org:1, Org:2\)/);
});
