/**
 * The first fill of a tag that has no record yet, when other tags of its shard were invalidated while it was
 * fetched: it lands when the shard's log of recent invalidations shows its tags were not among them, and is dropped
 * when they were, or when the log cannot show it (gone, or a raise it does not cover).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, seqKey, text } from './support.js';

test('a first fill lands although an unrelated tag was invalidated since its lookup', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const store = await openStore(t, redis, { prefix: uniquePrefix('first-fill') });
  const { seq } = await store.get(['product']);
  await store.invalidate(['Other:1']);
  await store.invalidate(['Other:2']);
  assert.equal(await store.set([entry('product', 'P', ['Product:7'], seq)]), 1, 'written');
  assert.deepEqual((await store.get(['product'])).values.map(text), ['P'], 'and served');
  await store.invalidate(['Product:7']);
  assert.deepEqual((await store.get(['product'])).values.map(text), ['stale'], 'until its own tag is invalidated');
});

test('a first fill is dropped when its tag was invalidated since its lookup, record or not', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const store = await openStore(t, redis, { prefix: uniquePrefix('first-fill-named') });
  const { seq } = await store.get(['product']);
  await store.invalidate(['Product:7']);
  await store.invalidate(['Other:1']);
  assert.equal(await store.set([entry('product', 'P', ['Product:7'], seq)]), 0, 'dropped');
  assert.deepEqual((await store.get(['product'])).values.map(text), ['absent']);
  // A parent tag (hierarchical invalidation) names the child's record too.
  const again = await store.get(['list']);
  await store.invalidate(['Store:3']);
  assert.equal(await store.set([entry('list', 'L', ['Store:3:products:1'], again.seq)]), 0, 'dropped: its parent tag was invalidated');
});

test('without the log (lost, or raises it does not cover) a first fill after an invalidation is dropped, as before', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('first-fill-nolog');
  const store = await openStore(t, redis, { prefix });
  const logKey = seqKey(prefix).replace(/:seq$/, ':log');

  const lost = await store.get(['a']);
  await store.invalidate(['Other:1']);
  assert.equal(await redis.admin.del(logKey), 1, 'the log exists beside the counter');
  assert.equal(await store.set([entry('a', 'A', ['Product:1'], lost.seq)]), 0, 'log gone: dropped');

  // A raise the log does not record (a process of an older version, or a failed push): dropped.
  const skipped = await store.get(['b']);
  await redis.admin.hincrby(seqKey(prefix), 'n', 1);
  await store.invalidate(['Other:2']);
  assert.equal(await store.set([entry('b', 'B', ['Product:2'], skipped.seq)]), 0, 'a raise missing from the log: dropped');

  // With nothing invalidated in between, a first fill lands whatever the log holds.
  const quiet = await store.get(['c']);
  assert.equal(await store.set([entry('c', 'C', ['Product:3'], quiet.seq)]), 1);
});
