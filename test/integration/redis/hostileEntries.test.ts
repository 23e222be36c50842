/**
 * Whatever sits under the store's keys, the store answers instead of
 * crashing: other Redis types, foreign bytes, garbage metadata, oversized
 * values, a tag record or sequence of the wrong type.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeEntryFrame } from '../../../src/stores/redis/entryFrame.js';
import { connectOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, entryKey, openStore, seqKey, tagKey, text } from './support.js';

test('unexpected contents under entry keys read as absent or stale', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('hostile');
  const store = await openStore(t, redis, { prefix, maxValueBytes: 1024 });
  const key = (k: string): string => entryKey(prefix, k);
  const { seq } = await store.get([]);
  const [epoch, n] = String(seq).split(':') as [string, string];

  await redis.admin.hset(key('hash'), 'v', 'x');
  await redis.admin.rpush(key('list'), 'x');
  await redis.admin.sadd(key('set'), 'x');
  await redis.admin.set(key('foreign'), 'just some string');
  await redis.admin.set(key('empty'), '');
  await redis.admin.set(key('bad-length'), 'E1999999999');
  await redis.admin.set(key('short-meta'), 'E100000050abc');
  await redis.admin.set(key('garbage-meta'), 'E100000012;;;;;;;;;;;;valuebytes');
  await redis.admin.set(key('wrong-shards'), encodeEntryFrame(7, [{ shard: 0, epoch, fetch: Number(n), tags: [] }], Buffer.from('x')));
  await redis.admin.set(key('no-own-group'), encodeEntryFrame(1, [], Buffer.from('x')));
  await redis.admin.set(key('future-fetch'), encodeEntryFrame(1, [{ shard: 0, epoch, fetch: Number(n) + 5, tags: [] }], Buffer.from('x')));
  await redis.admin.set(key('oversized'), encodeEntryFrame(1, [{ shard: 0, epoch, fetch: Number(n), tags: [] }], Buffer.alloc(2048)));
  await redis.admin.set(key('valid'), encodeEntryFrame(1, [{ shard: 0, epoch, fetch: Number(n), tags: [] }], Buffer.from('ok')));

  const names = [
    'hash',
    'list',
    'set',
    'foreign',
    'empty',
    'bad-length',
    'short-meta',
    'garbage-meta',
    'wrong-shards',
    'no-own-group',
    'future-fetch',
    'oversized',
    'valid',
  ];
  const { values } = await store.get(names);
  assert.deepEqual(values.map(text), ['absent', 'absent', 'absent', 'stale', 'absent', 'stale', 'stale', 'stale', 'stale', 'stale', 'stale', 'stale', 'ok']);

  // A fill overwrites whatever was there.
  assert.equal(await store.set([entry('hash', 'mine now', ['T:1'], seq)]), 1);
  assert.deepEqual((await store.get(['hash'])).values.map(text), ['mine now']);
});

test('a tag record or a sequence of the wrong type does not break the store', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('hostile2');
  const store = await openStore(t, redis, { prefix });
  const { seq } = await store.get([]);
  assert.equal(await store.set([entry('a', 'A', ['T:1'], seq), entry('b', 'B', ['T:2'], seq)]), 2);

  await redis.admin.del(tagKey(prefix, 'T:1'));
  await redis.admin.hset(tagKey(prefix, 'T:1'), 'x', '1');
  await redis.admin.set(tagKey(prefix, 'T:2'), 'not a version');
  assert.deepEqual((await store.get(['a', 'b'])).values, ['stale', 'stale']);
  await store.invalidate(['T:1']);
  const refill = await store.get([]);
  assert.equal(await store.set([entry('a', 'A2', ['T:1'], refill.seq)]), 1);
  assert.deepEqual((await store.get(['a'])).values.map(text), ['A2']);

  await redis.admin.del(seqKey(prefix));
  await redis.admin.rpush(seqKey(prefix), 'junk');
  const after = await store.get(['a']);
  assert.deepEqual(after.values, ['stale'], 'a broken sequence starts a new epoch');
  assert.notEqual(String(after.seq).slice(0, 16), String(seq).slice(0, 16));
  assert.equal(await store.set([entry('a', 'A3', ['T:1'], after.seq)]), 1);
  assert.deepEqual((await store.get(['a'])).values.map(text), ['A3']);
});
