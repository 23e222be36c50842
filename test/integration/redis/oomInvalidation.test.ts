/**
 * Redis out of memory with `noeviction` (its default) refuses every write that
 * may grow memory, but not DEL. An invalidation must still take effect for
 * every process: it deletes the tags' records and the shard's counter, so
 * other processes read the entries as stale or, while the counter cannot be
 * recreated, fail their lookups (served uncached), never serving the old
 * value; once memory is back a new epoch starts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CacheTagError } from '../../../src/errors.js';
import { ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text } from './support.js';

test('under maxmemory with noeviction an invalidation succeeds and no process serves the old value', async (t) => {
  const server = await ownRedisOrSkip(t, { args: ['--maxmemory-policy', 'noeviction'] });
  if (!server) return;
  const prefix = uniquePrefix('oom');
  const options = { prefix, breakerThreshold: 1000, onError: () => {} };
  const writer = await openStore(t, server, options);
  const reader = await openStore(t, server, options);
  const { seq } = await reader.get([]);
  assert.equal(await reader.set([entry('price', 'price 10', ['Product:1'], seq), entry('name', 'Widget', ['Product:2'], seq)]), 2);

  const used = Number(/used_memory:(\d+)/.exec(await server.admin.info('memory'))![1]);
  await server.admin.config('SET', 'maxmemory', String(Math.floor(used / 2)));
  await assert.rejects(server.admin.set('probe', 'x'), /OOM/, 'Redis refuses writes');

  await writer.invalidate(['Product:1']);
  assert.equal(writer.pendingInvalidations, 0, 'acknowledged');
  for (let i = 0; i < 5; i++) {
    const read = await reader.get(['price']).then(
      (lookup) => text(lookup.values[0]),
      (error: unknown) => (error instanceof CacheTagError ? error.code : String(error)),
    );
    assert.ok(read === 'stale' || read === 'STORE_UNAVAILABLE', `the other process read ${read}`);
  }

  await server.admin.config('SET', 'maxmemory', '0');
  const after = await reader.get(['price', 'name']);
  assert.deepEqual(after.values, ['stale', 'stale'], 'a new epoch: nothing from before is trusted');
  assert.equal(await reader.set([entry('price', 'price 12', ['Product:1'], after.seq)]), 1);
  assert.deepEqual((await writer.get(['price'])).values.map(text), ['price 12']);
});
