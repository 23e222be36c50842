/** An injected clock that starts at 0 still expires entries (lru-cache reads a start time of 0 as "no TTL"). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryStore } from '../../src/index.js';

const entry = (key: string) => ({ key, value: new Uint8Array([1]), tags: ['T:1'], ttlMs: 1000, fetchSeq: 0 });

test('entries written at clock time 0 expire after their TTL', async () => {
  let now = 0;
  const store = createMemoryStore({ clock: { now: () => now } });
  assert.equal(await store.set([entry('a')]), 1);
  now = 999;
  assert.deepEqual((await store.get(['a'])).values, [new Uint8Array([1])]);
  now = 1001;
  assert.deepEqual((await store.get(['a'])).values, ['absent']);
});

test('a clock that stays at 0 then jumps still expires what was written at 0', async () => {
  let now = 0;
  const store = createMemoryStore({ clock: { now: () => now } });
  await store.set([entry('a')]);
  now = 5000;
  await store.set([entry('b')]);
  assert.deepEqual((await store.get(['a', 'b'])).values, ['absent', new Uint8Array([1])]);
});
