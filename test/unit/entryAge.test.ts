/**
 * Entries carry their fill time, for `inspect`'s age: the Redis frame's optional last metadata element (frames without
 * it still read) and the memory store's entries (its inspect(), with an injected clock).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeEntryFrame, parseEntryFrame, valueOffsetOf } from '../../src/stores/redis/entryFrame.js';
import { createMemoryStore } from '../../src/stores/memory.js';

const groups = [
  { shard: 0, epoch: '0123456789abcdef', fetch: 7, tags: ['Product', 'Product:1'] },
  { shard: 2, epoch: 'fedcba9876543210', fetch: 300, tags: ['Org:1'] },
];
const value = Buffer.from('the value');

test('a Redis entry frame carries its fill time; a frame written without one still reads', () => {
  const filledAt = 1_790_000_000_123;
  const frame = encodeEntryFrame(4, groups, value, filledAt)!;
  const parsed = parseEntryFrame(frame)!;
  assert.deepEqual(parsed.meta, { shardCount: 4, groups, filledAtMs: filledAt });
  assert.equal(frame.subarray(parsed.valueOffset).toString(), 'the value');
  assert.equal(valueOffsetOf(frame), parsed.valueOffset);

  const old = encodeEntryFrame(4, groups, value)!;
  const oldParsed = parseEntryFrame(old)!;
  assert.deepEqual(oldParsed.meta, { shardCount: 4, groups });
  assert.equal(old.subarray(oldParsed.valueOffset).toString(), 'the value');
  assert.equal(frame.length - old.length, 9, 'the fill time costs 9 bytes (uint 64)');
});

test('a frame whose last element is neither a group nor an integer is malformed (a miss), as before', () => {
  const frame = encodeEntryFrame(4, groups, value, 5)!;
  // Replace the fill time (positive fixint 5) by a string: not a group, not a time.
  const at = frame.indexOf(5, frame.length - value.length - 1);
  const broken = Buffer.concat([frame.subarray(0, at), Buffer.from([0xa1, 0x35]), frame.subarray(at + 1)]);
  assert.equal(parseEntryFrame(broken), undefined);
  assert.equal(valueOffsetOf(broken), undefined);
});

test('the memory store shows each entry with its age, TTL left, size, tags and freshness', async () => {
  let now = 1000;
  const store = createMemoryStore({ clock: { now: () => now } });
  const { seq } = await store.get([]);
  await store.set([
    { key: 'Query.product:a', value: new Uint8Array(10), tags: ['Product', 'Product:1'], ttlMs: 60_000, fetchSeq: seq },
    { key: 'Query.product:b', value: new Uint8Array(20), tags: ['Product', 'Product:2'], ttlMs: 60_000, fetchSeq: seq },
    { key: 'Query.other:c', value: new Uint8Array(5), tags: [], ttlMs: 60_000, fetchSeq: seq },
  ]);
  now += 1500;
  await store.invalidate(['Product:2']);
  assert.deepEqual(store.inspect({ coordinate: 'Query.product' }), [
    { key: 'Query.product:a', coordinate: 'Query.product', tags: ['Product', 'Product:1'], ageMs: 1500, ttlMs: 58_500, bytes: 10, fresh: true },
    {
      key: 'Query.product:b',
      coordinate: 'Query.product',
      tags: ['Product', 'Product:2'],
      ageMs: 1500,
      ttlMs: 58_500,
      bytes: 20,
      fresh: false,
      staleBecause: 'Product:2 was invalidated after the fill',
    },
  ]);
  assert.deepEqual(
    store.inspect({ key: 'Query.other:c' }).map((e) => e.key),
    ['Query.other:c'],
  );
  assert.equal(store.inspect().length, 3);
  assert.equal(store.tagVersion('Product:2'), 1);
  assert.equal(store.tagVersion('Product:1'), undefined);
});
