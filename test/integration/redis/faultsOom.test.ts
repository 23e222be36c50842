/**
 * Redis out of memory (maxmemory reached, noeviction): reads keep working,
 * fills fail open (resolve to 0, reported); an invalidation still succeeds
 * (it deletes what it cannot update), after which the shard's entries read
 * as stale (or its lookups fail) until memory is available again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text, timed } from './support.js';

test('out of memory: reads work, fills fail open, invalidations succeed', async (t) => {
  const server = await ownRedisOrSkip(t, { args: ['--maxmemory-policy', 'noeviction'] });
  if (!server) return;
  const reported: string[] = [];
  const store = await openStore(t, server, {
    prefix: uniquePrefix('oom'),
    breakerThreshold: 1000,
    onError: (e, op) => void reported.push(`${op}:${e.message}`),
  });
  const { seq } = await store.get([]);
  assert.equal(await store.set([entry('cached', 'still here', ['P:1'], seq)]), 1);

  // Memory in use above maxmemory: with noeviction, Redis refuses every write.
  const used = Number(/used_memory:(\d+)/.exec(await server.admin.info('memory'))![1]);
  await server.admin.config('SET', 'maxmemory', String(Math.floor(used / 2)));

  assert.deepEqual((await store.get(['cached'])).values.map(text), ['still here'], 'reads still work');
  // Tags without records, so the script's first write is a refused SET (once a
  // script has written, e.g. stretched a TTL, Redis lets the rest of it run).
  const fill = await timed(() => store.set([entry('new', 'x', ['Other:2'], seq)]));
  assert.equal(fill.value, 0);
  assert.ok(
    reported.some((r) => r.startsWith('set:') && /OOM/.test(r)),
    'the refused fill is reported',
  );
  const invalidation = await timed(() => store.invalidate(['P:1']));
  assert.ok(invalidation.ms < 300 && invalidation.error === undefined, 'invalidations succeed (oomInvalidation.test.ts)');
  assert.equal(store.pendingInvalidations, 0);
  const read = await store.get(['cached']).then(
    (lookup) => String(lookup.values[0]),
    () => 'failed',
  );
  assert.ok(read === 'stale' || read === 'failed', `never the old value: ${read}`);

  await server.admin.config('SET', 'maxmemory', '0');
  assert.deepEqual((await store.get(['cached'])).values, ['stale']);
});
