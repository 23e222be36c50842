/**
 * Redis out of memory (maxmemory reached, noeviction): reads keep working,
 * fills fail open (resolve to 0, reported), invalidations are kept pending
 * and delivered once memory is available again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text, timed } from './support.js';

test('out of memory: reads work, fills fail open, invalidations wait for memory', async (t) => {
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
  assert.ok(invalidation.ms < 300);
  assert.equal(store.pendingInvalidations, 1);
  assert.deepEqual((await store.get(['cached'])).values, ['stale'], 'the pending tag is honoured locally');

  await server.admin.config('SET', 'maxmemory', '0');
  assert.ok(await eventually(() => store.pendingInvalidations === 0, 8000));
  assert.deepEqual((await store.get(['cached'])).values, ['stale']);
});
