/**
 * An invalidation Redis refuses is never dropped: `invalidate` rejects with
 * INVALIDATION_UNACKNOWLEDGED at once, the tags stay in a local pending set (entries carrying them read as
 * stale, fills carrying them are dropped), and a background loop delivers
 * them as soon as Redis takes them. Redis refuses here through an ACL user
 * denied HINCRBY, which only the invalidation script uses, so reads and fills
 * keep working meanwhile.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { CacheTagError } from '../../../src/errors.js';
import { eventually, LOOPBACK, ownRedisOrSkip, sleep, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text, timed } from './support.js';

test('a refused invalidation stays pending, is honoured locally, and is retried until Redis takes it', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  await server.admin.acl('SETUSER', 'cache', 'on', '>secret', '~*', '&*', '+@all', '-hincrby');
  const prefix = uniquePrefix('pending');
  const reported: string[] = [];
  const store = await openStore(
    t,
    { template: () => new Redis({ host: LOOPBACK, port: server.port, username: 'cache', password: 'secret', lazyConnect: true }) },
    { prefix, breakerThreshold: 1000, onError: (error, op) => void reported.push(`${op}:${error.code}`) },
  );
  // Another process's store on the same Redis, with no local knowledge.
  const other = await openStore(t, server, { prefix });

  const { seq } = await store.get([]);
  assert.equal(await store.set([entry('e1', 'one', ['P:1'], seq), entry('e2', 'two', ['P:2'], seq)]), 2);

  const invalidated = await timed(() => store.invalidate(['P:1']));
  assert.ok(invalidated.ms < 300, `invalidate settled in ${invalidated.ms.toFixed(1)} ms`);
  assert.ok(invalidated.error instanceof CacheTagError && invalidated.error.code === 'INVALIDATION_UNACKNOWLEDGED', String(invalidated.error));
  assert.equal(store.pendingInvalidations, 1);
  assert.deepEqual(reported, [], 'the rejection is the report');

  assert.deepEqual((await store.get(['e1', 'e2'])).values.map(text), ['stale', 'two'], 'entries carrying a pending tag read as stale');
  const now = (await store.get([])).seq;
  assert.equal(await store.set([entry('e1', 'refill', ['P:1'], now)]), 0, 'fills carrying a pending tag are dropped');
  assert.equal(await store.set([entry('e3', 'three', ['P:2'], now)]), 1, 'other fills land');
  assert.deepEqual((await other.get(['e1'])).values.map(text), ['one'], 'Redis itself has not seen the invalidation yet');

  await sleep(300);
  assert.equal(store.pendingInvalidations, 1, 'still pending while Redis refuses the retries');
  await server.admin.acl('SETUSER', 'cache', '+hincrby');
  assert.ok(await eventually(() => store.pendingInvalidations === 0, 8000), 'delivered once Redis accepts it');

  assert.deepEqual((await other.get(['e1'])).values, ['stale'], 'the retry reached Redis');
  const fresh = await store.get(['e1']);
  assert.equal(await store.set([entry('e1', 'new one', ['P:1'], fresh.seq)]), 1);
  assert.deepEqual((await store.get(['e1'])).values.map(text), ['new one'], 'cached reads of the tag resume');
});
