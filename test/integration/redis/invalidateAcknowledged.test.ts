/**
 * On Redis, `invalidate()` resolves only once Redis acknowledged the tags:
 * it waits for the connection (within `writeTimeoutMs`), and when Redis does
 * not acknowledge it rejects with `INVALIDATION_UNACKNOWLEDGED`, keeping the
 * tags pending (retried, honoured locally) so this process never serves a
 * cached read of them meanwhile. `cache.invalidate()` rejects with it too.
 * Redis refuses here through an ACL user denied HINCRBY, which only the
 * invalidation script uses, so reads and fills keep working.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { CacheTagError } from '../../../src/errors.js';
import { createCache } from '../../../src/index.js';
import { createRedisStore } from '../../../src/stores/redis/index.js';
import { buildSchema } from '../../helpers/schema.js';
import { eventually, LOOPBACK, onCleanup, ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { execute, parse } from 'graphql';
import { entry, openStore, text } from './support.js';

test('invalidate() right after createRedisStore waits for the connection and is acknowledged', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const prefix = uniquePrefix('ack');
  const other = await openStore(t, server, { prefix });
  const { seq } = await other.get([]);
  assert.equal(await other.set([entry('e1', 'one', ['Org:1'], seq)]), 1);

  const store = createRedisStore({ client: server.template(), prefix, writeTimeoutMs: 2000 });
  onCleanup(t, () => store.close());
  const result = await store.invalidate(['Org:1']);
  assert.doesNotMatch(String(result), /unconfirmed/);
  assert.equal(store.pendingInvalidations, 0);
  assert.deepEqual((await other.get(['e1'])).values, ['stale'], 'Redis has the invalidation');
});

test('an invalidation Redis does not acknowledge rejects with INVALIDATION_UNACKNOWLEDGED and stays pending', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  await server.admin.acl('SETUSER', 'cache', 'on', '>secret', '~*', '&*', '+@all', '-hincrby');
  const prefix = uniquePrefix('ack');
  const store = await openStore(
    t,
    { template: () => new Redis({ host: LOOPBACK, port: server.port, username: 'cache', password: 'secret', lazyConnect: true }) },
    { prefix, breakerThreshold: 1000, onError: () => {} },
  );
  const { seq } = await store.get([]);
  assert.equal(await store.set([entry('e1', 'one', ['P:1'], seq)]), 1);

  const error = await store.invalidate(['P:1', 'P:2']).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof CacheTagError, `rejected with a CacheTagError, got ${String(error)}`);
  assert.equal(error.code, 'INVALIDATION_UNACKNOWLEDGED');
  assert.match(error.message, /2 tag\(s\)/);
  assert.match(error.message, /kept pending/);
  assert.equal(store.pendingInvalidations, 2);
  assert.deepEqual((await store.get(['e1'])).values.map(text), ['stale'], 'this process does not serve the pending tag');

  await server.admin.acl('SETUSER', 'cache', '+hincrby');
  assert.ok(await eventually(() => store.pendingInvalidations === 0, 8000), 'delivered by the retry loop');
});

test('cache.invalidate() rejects when Redis did not acknowledge, and the cache serves no cached read of the tag meanwhile', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  await server.admin.acl('SETUSER', 'cache', 'on', '>secret', '~*', '&*', '+@all', '-hincrby');
  const store = createRedisStore({
    client: new Redis({ host: LOOPBACK, port: server.port, username: 'cache', password: 'secret', lazyConnect: true }),
    prefix: uniquePrefix('ack'),
    breakerThreshold: 1000,
  });
  const warnings: string[] = [];
  const cache = createCache({ store, logger: { warn: (m) => warnings.push(m) } });
  onCleanup(t, () => cache.close());
  assert.ok(await store.whenConnected());
  let calls = 0;
  const schema = buildSchema(`type Query { org(id: ID!): Org @cacheControl(maxAge: 60) } type Org @cacheKey(fields: "id") { id: ID! name: String }`, {
    Query: { org: (_: unknown, { id }: { id: string }) => (calls++, { id, name: `org ${id}` }) },
  });
  cache.instrumentSchema(schema);
  const read = async () => {
    const result = await execute({ schema, document: parse('{ org(id: "1") { id name } }'), contextValue: {} });
    assert.equal(result.errors, undefined);
    await cache.idle();
  };
  await read();
  await read();
  assert.equal(calls, 1, 'cached');

  await assert.rejects(cache.invalidate('Org:1'), (e: unknown) => e instanceof CacheTagError && e.code === 'INVALIDATION_UNACKNOWLEDGED');
  assert.equal(cache.stats().invalidations, 0, 'not counted as acknowledged');
  await read();
  await read();
  assert.equal(calls, 3, 'no cached read of a pending tag');
});
