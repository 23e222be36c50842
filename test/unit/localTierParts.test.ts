/**
 * The Redis store's in-process tier, its parts without Redis: the bounded entries (entries and bytes, dropped by
 * tag), the gap tracking of fast mode, the Hybrid Logical Clock, and option validation (bad options throw at
 * construction naming the option).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { createRedisStore } from '../../src/stores/redis/index.js';
import { createLocalEntries } from '../../src/stores/redis/localEntries.js';
import { createSequenceGaps } from '../../src/stores/redis/sequenceGaps.js';
import { createHybridLogicalClock } from '../../src/stores/redis/hlc.js';

const put = (value: string, tags: string[]) => ({ value: Buffer.from(value), tags, seq: 's', shards: [0], expiresAt: Number.POSITIVE_INFINITY });

test('local entries are bounded by count and bytes (least recently used first) and dropped by tag', () => {
  const entries = createLocalEntries(2, 1_000_000);
  entries.set('a', put('1', ['A']));
  entries.set('b', put('2', ['B']));
  entries.get('a');
  entries.set('c', put('3', ['A', 'C']));
  assert.equal(entries.get('b'), undefined, 'b was the least recently used');
  entries.dropTags(['A']);
  assert.equal(entries.size, 0);
  const small = createLocalEntries(100, 2048);
  small.set('x', put('x'.repeat(1500), []));
  small.set('y', put('y'.repeat(1500), []));
  assert.equal(small.size, 1);
  assert.ok(small.bytes <= 2048);
});

test('local entries: the tag index stays exact through overwrites, evictions and drops (random operations against a model)', () => {
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n) as number;
  const entries = createLocalEntries(20, 1_000_000);
  // The model: key -> tags, in recency order (least recent first).
  const model = new Map<string, string[]>();
  const touch = (key: string) => {
    const tags = model.get(key)!;
    model.delete(key);
    model.set(key, tags);
  };
  for (let step = 0; step < 5000; step++) {
    const key = `k${random(40)}`;
    const op = random(10);
    if (op < 5) {
      const tags = [`T${random(12)}`, `T${random(12)}`];
      entries.set(key, put(key, tags));
      model.delete(key);
      model.set(key, tags);
      while (model.size > 20) model.delete(model.keys().next().value!);
    } else if (op < 8) {
      const found = entries.get(key);
      assert.equal(found !== undefined, model.has(key), `step ${step}: ${key} held`);
      if (found) {
        assert.deepEqual(found.tags, model.get(key));
        touch(key);
      }
    } else if (op < 9) {
      const tag = `T${random(12)}`;
      entries.dropTags([tag]);
      for (const [k, tags] of [...model]) if (tags.includes(tag)) model.delete(k);
    } else {
      entries.delete(key);
      model.delete(key);
    }
    assert.equal(entries.size, model.size, `step ${step}: size`);
  }
  // Every tag still indexed drops exactly the entries the model holds with it, and nothing else is left.
  for (let t = 0; t < 12; t++) {
    entries.dropTags([`T${t}`]);
    for (const [k, tags] of [...model]) if (tags.includes(`T${t}`)) model.delete(k);
    assert.equal(entries.size, model.size, `after dropping T${t}`);
  }
  assert.equal(entries.size, 0);
});

test('fast mode gaps: a counter seen ahead of the broadcasts applied opens a gap; it closes when they arrive, or flushes after gapMs', () => {
  let flushed = 0;
  const gaps = createSequenceGaps(1, 100, () => flushed++);
  assert.equal(gaps.isOpen(0), true, 'unknown until a reply is seen');
  gaps.observed(0, 'e', 5);
  assert.equal(gaps.isOpen(0), false);
  gaps.observed(0, 'e', 7);
  assert.equal(gaps.isOpen(0), true);
  gaps.applied(0, 'e', 7);
  assert.equal(gaps.isOpen(0), true, '6 is still missing');
  gaps.applied(0, 'e', 6);
  assert.equal(gaps.isOpen(0), false, 'reordered broadcasts close the gap');
  gaps.observed(0, 'e', 8);
  assert.equal(gaps.expire(performance.now() + 1000), true);
  assert.equal(flushed, 1, 'a gap not filled in time flushes');
  assert.equal(gaps.isOpen(0), false);
  gaps.observed(0, 'other-epoch', 0);
  assert.equal(flushed, 2, 'a new epoch flushes');
});

test('the Hybrid Logical Clock never runs behind a timestamp it received', () => {
  const clock = createHybridLogicalClock(() => 1000);
  const [ms, logical] = clock.receive([5000, 3]);
  assert.deepEqual([ms, logical], [5000, 4]);
  assert.deepEqual(clock.now(), [5000, 5]);
});

test('bad local and leases options throw at construction naming the option', () => {
  const client = new Redis({ lazyConnect: true });
  assert.throws(
    () => createRedisStore({ client, local: { mode: 'eventual' as 'fast' } }),
    /option "local\.mode" must be 'strict' or 'fast'; received "eventual"/,
  );
  assert.throws(() => createRedisStore({ client, local: { maxEntries: 0 } }), /option "local\.maxEntries" must be an integer from 1/);
  assert.throws(() => createRedisStore({ client, leases: { waitMs: -1 } }), /option "leases\.waitMs" must be an integer from 1 to 60000; received number -1/);
  client.disconnect();
});
