import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryStore, expandTags } from '../../src/index.js';

const bytes = (n: number) => new Uint8Array(n).fill(7);

test('an evicted tag version raises the floor instead of letting old entries look fresh', async () => {
  const store = createMemoryStore({ maxTagVersions: 2 });
  const { seq } = await store.get([]);
  await store.set([{ key: 'k', value: bytes(3), tags: expandTags(['A:1']), ttlMs: 60_000, fetchSeq: seq }]);
  await store.invalidate(['A:1']); // version 1 for A:1... but the entry was fetched at 0: stale
  assert.deepEqual((await store.get(['k'])).values, ['stale']);

  const { seq: s1 } = await store.get([]);
  await store.set([{ key: 'k', value: bytes(3), tags: expandTags(['A:1']), ttlMs: 60_000, fetchSeq: s1 }]);
  assert.ok((await store.get(['k'])).values[0] instanceof Uint8Array);
  // Invalidating two other tags evicts A:1's version from the 2-slot LRU.
  await store.invalidate(['B']);
  await store.invalidate(['C']);
  assert.ok((await store.get(['k'])).values[0] !== undefined);
  await store.invalidate(['D']); // evicts the oldest version (B, at s1+1): floor rises above the entry's fetch sequence
  assert.deepEqual((await store.get(['k'])).values, ['stale']);
});

test('entries expire after their TTL on the injected clock', async () => {
  let now = 1_000;
  const store = createMemoryStore({ clock: { now: () => now } });
  await store.set([{ key: 'k', value: bytes(1), tags: [], ttlMs: 500, fetchSeq: 0 }]);
  now += 499;
  assert.ok((await store.get(['k'])).values[0] instanceof Uint8Array);
  now += 2;
  assert.deepEqual((await store.get(['k'])).values, ['absent']);
});

test('bounded by entries and by bytes, least recently used first out', async () => {
  const store = createMemoryStore({ maxEntries: 3, maxBytes: 10_000 });
  for (const key of ['a', 'b', 'c']) await store.set([{ key, value: bytes(10), tags: [], ttlMs: 60_000, fetchSeq: 0 }]);
  await store.get(['a']);
  await store.set([{ key: 'd', value: bytes(10), tags: [], ttlMs: 60_000, fetchSeq: 0 }]);
  assert.deepEqual(
    (await store.get(['a', 'b', 'c', 'd'])).values.map((v) => (typeof v === 'string' ? v : 'hit')),
    ['hit', 'absent', 'hit', 'hit'],
  );
  const small = createMemoryStore({ maxBytes: 2_000 });
  for (let i = 0; i < 10; i++) await small.set([{ key: `k${i}`, value: bytes(500), tags: [], ttlMs: 60_000, fetchSeq: 0 }]);
  assert.ok(small.bytes <= 2_000, `${small.bytes} bytes held`);
  assert.ok(small.size < 10);
});

test('the memory store keeps values uncompressed by default; codec options still win', async () => {
  const { createCache, createMemoryStore } = await import('../../src/index.js');
  const { countingStore } = await import('../helpers/countingStore.js');
  const { buildSchema } = await import('../helpers/schema.js');
  const { execute, parse } = await import('graphql');
  const big = 'x'.repeat(4096);
  const schema = () => buildSchema('type Query { text: String @cacheControl(maxAge: 60) }', { Query: { text: () => big } });
  async function frameFlags(options: object): Promise<number> {
    const store = countingStore(createMemoryStore());
    const cache = createCache({ store, ...options });
    const instrumented = schema();
    cache.instrumentSchema(instrumented);
    await execute({ schema: instrumented, document: parse('{ text }'), contextValue: {} });
    await cache.idle();
    const entry = store.calls.set.flat().find((e) => e.key.startsWith('Query.text:'))!;
    return entry.value[0]! & 0x0f;
  }
  assert.equal(createMemoryStore().preferredCompressAboveBytes, Number.POSITIVE_INFINITY);
  assert.equal(await frameFlags({}), 0, 'stored as is');
  assert.equal(await frameFlags({ codec: { compressAboveBytes: 1024 } }), 1, 'lz4 when asked');
});
