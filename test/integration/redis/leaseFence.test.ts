/**
 * Leases carry the fetch sequence they were taken at: a miss that looked the key up after an invalidation never
 * waits on a lease taken before it (it takes the lease over and resolves), while a miss at the same sequence waits
 * for the holder's fill and is handed its bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text } from './support.js';

test('a miss after an invalidation never waits on a lease taken before it; one at the same sequence gets the fill', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('lease-fence');
  const holder = await openStore(t, redis, { prefix, leases: { waitMs: 1000 } });
  const other = await openStore(t, redis, { prefix, leases: { waitMs: 1000 } });
  const { seq } = await holder.get(['k']);
  assert.equal(await holder.acquire!('k', seq), undefined, 'the first miss takes the lease');

  // Same sequence: waits for the holder's fill and gets its bytes.
  const waiting = other.acquire!('k', seq);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(await holder.set([entry('k', 'filled', ['P:1'], seq)]), 1);
  assert.equal(text(await waiting), 'filled');

  // A lease taken before an invalidation: a later miss does not wait on it.
  const before = await holder.get(['j']);
  assert.equal(await holder.acquire!('j', before.seq), undefined);
  await holder.invalidate(['P:1']);
  const after = await other.get(['j']);
  const started = performance.now();
  assert.equal(await other.acquire!('j', after.seq), undefined, 'takes the lease over');
  assert.ok(performance.now() - started < 500, 'without waiting for the old lease');
});
