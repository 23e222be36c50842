/**
 * Whatever sits under the store's keys, the store answers instead of
 * crashing: other Redis types, foreign bytes, garbage metadata (MessagePack
 * of the wrong shape, truncated, claiming more than it holds), oversized
 * values (also far beyond what a lookup reads), a tag record or sequence of
 * the wrong type or with garbage after the epoch.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeEntryFrame, FRAME_MAGIC } from '../../../src/stores/redis/entryFrame.js';
import { connectOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, entryKey, openStore, patientDeadlines, seqKey, tagKey, text } from './support.js';

test('unexpected contents under entry keys read as absent or stale', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('hostile');
  const store = await openStore(t, redis, { ...patientDeadlines, prefix, maxValueBytes: 1024 });
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
  await redis.admin.set(key('wrong-shards'), encodeEntryFrame(7, [{ shard: 0, epoch, fetch: Number(n), tags: [] }], Buffer.from('x'))!);
  await redis.admin.set(key('no-own-group'), encodeEntryFrame(1, [], Buffer.from('x'))!);
  await redis.admin.set(key('future-fetch'), encodeEntryFrame(1, [{ shard: 0, epoch, fetch: Number(n) + 5, tags: [] }], Buffer.from('x'))!);
  await redis.admin.set(key('oversized'), encodeEntryFrame(1, [{ shard: 0, epoch, fetch: Number(n), tags: [] }], Buffer.alloc(2048))!);
  await redis.admin.set(key('valid'), encodeEntryFrame(1, [{ shard: 0, epoch, fetch: Number(n), tags: [] }], Buffer.from('ok'))!);
  // The metadata is MessagePack decoded by Redis's Lua: wrong shapes and bytes.
  const frame = (...meta: number[]): Buffer => Buffer.concat([Buffer.from(FRAME_MAGIC), Buffer.from(meta), Buffer.from('value')]);
  const epochStr = [0xb0, ...Buffer.from(epoch)];
  const valid = encodeEntryFrame(1, [{ shard: 0, epoch, fetch: Number(n), tags: ['T:1'] }], Buffer.from('x'))!;
  await redis.admin.set(key('magic-only'), FRAME_MAGIC);
  await redis.admin.set(key('not-msgpack'), `${FRAME_MAGIC}not msgpack at all`);
  await redis.admin.set(key('truncated-meta'), valid.subarray(0, 12));
  await redis.admin.set(key('meta-map'), frame(0x81, 0x01, 0x01));
  await redis.admin.set(key('meta-nil'), frame(0xc0));
  await redis.admin.set(key('group-not-array'), frame(0x92, 0x01, 0x00));
  await redis.admin.set(key('fetch-string'), frame(0x92, 0x01, 0x93, 0x00, ...epochStr, 0xa1, 0x30));
  await redis.admin.set(key('fetch-nan'), frame(0x92, 0x01, 0x93, 0x00, ...epochStr, 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0));
  await redis.admin.set(key('tag-number'), frame(0x92, 0x01, 0x94, 0x00, ...epochStr, Number(n), 0x05));
  await redis.admin.set(key('tag-array'), frame(0x92, 0x01, 0x94, 0x00, ...epochStr, Number(n), 0x90));
  await redis.admin.set(key('array-32-claimed'), frame(0xdd, 0x7f, 0xff, 0xff, 0xff));
  await redis.admin.set(key('deeply-nested'), frame(...new Array<number>(100_000).fill(0x91), 0x01));
  await redis.admin.set(key('huge'), encodeEntryFrame(1, [{ shard: 0, epoch, fetch: Number(n), tags: [] }], Buffer.alloc(2 * 1024 * 1024))!);
  await redis.admin.set(key('at-the-cap'), encodeEntryFrame(1, [{ shard: 0, epoch, fetch: Number(n), tags: [] }], Buffer.alloc(1024, 'c'))!);

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
    'magic-only',
    'not-msgpack',
    'truncated-meta',
    'meta-map',
    'meta-nil',
    'group-not-array',
    'fetch-string',
    'fetch-nan',
    'tag-number',
    'tag-array',
    'array-32-claimed',
    'deeply-nested',
    'huge',
    'at-the-cap',
  ];
  const { values } = await store.get(names);
  assert.deepEqual(
    values.map(text),
    ['absent', 'absent', 'absent', 'stale', 'absent', 'stale', 'stale', 'stale', 'stale', 'stale', 'stale', 'stale', 'ok']
      .concat(Array.from({ length: 13 }, () => 'stale'))
      .concat(['c'.repeat(1024)]),
  );

  // A fill overwrites whatever was there.
  assert.equal(await store.set([entry('hash', 'mine now', ['T:1'], seq)]), 1);
  assert.deepEqual((await store.get(['hash'])).values.map(text), ['mine now']);
});

test('a tag record or a sequence of the wrong type does not break the store', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('hostile2');
  const store = await openStore(t, redis, { ...patientDeadlines, prefix });
  const { seq } = await store.get([]);
  assert.equal(await store.set([entry('a', 'A', ['T:1'], seq), entry('b', 'B', ['T:2'], seq)]), 2);

  await redis.admin.del(tagKey(prefix, 'T:1'));
  await redis.admin.hset(tagKey(prefix, 'T:1'), 'x', '1');
  await redis.admin.set(tagKey(prefix, 'T:2'), 'not a version');
  assert.deepEqual((await store.get(['a', 'b'])).values, ['stale', 'stale']);
  // Garbage after the right epoch: not a number, NaN, nothing.
  const epoch = String(seq).slice(0, 16);
  for (const garbage of [`${epoch}not a number at all`, `${epoch}            nan`, epoch]) {
    await redis.admin.set(tagKey(prefix, 'T:2'), garbage);
    assert.deepEqual((await store.get(['b'])).values, ['stale'], garbage);
  }
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
