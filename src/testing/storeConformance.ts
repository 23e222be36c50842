/**
 * One suite for every store: what the `Store` contract promises, checked
 * through the public methods only. Each test gets a fresh store from
 * `makeStore` (for shared servers: a fresh namespace) and closes it.
 */
import assert from 'node:assert/strict';
import { after, describe, test, type TestContext } from 'node:test';
import { expandTags } from '../tags/hierarchy.js';
import type { Store, StoreEntry, StoreSeq } from '../stores/types.js';

/** Opens a fresh, empty store (for a shared server: a fresh namespace); the suite closes it after each test. */
export type MakeStore = () => Promise<Store>;

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (read: unknown): string => (read instanceof Uint8Array ? new TextDecoder().decode(read) : String(read));

function entry(key: string, value: string | Uint8Array, tags: readonly string[], fetchSeq: StoreSeq, ttlMs = 60_000): StoreEntry {
  return { key, value: typeof value === 'string' ? bytes(value) : value, tags: expandTags(tags), ttlMs, fetchSeq };
}

/**
 * Registers the conformance tests of the `Store` contract (node:test `describe`/`test`), run against stores from
 * `makeStore`; `cleanup` runs once after them.
 */
export function runStoreConformance(name: string, makeStore: MakeStore, cleanup?: () => Promise<void>): void {
  describe(`${name}: Store conformance`, () => {
    async function open(t: TestContext): Promise<Store> {
      const store = await makeStore();
      t.after(() => store.close());
      return store;
    }

    if (cleanup) after(cleanup);

    test('get answers in the order of the keys, repeated and missing keys included', async (t) => {
      const store = await open(t);
      const { seq } = await store.get(['a', 'b', 'c']);
      assert.equal(await store.set([entry('a', 'A', ['T:1'], seq), entry('b', 'B', ['T:2'], seq), entry('c', 'C', [], seq)]), 3);
      const { values } = await store.get(['c', 'missing', 'a', 'b', 'a']);
      assert.deepEqual(values.map(text), ['C', 'absent', 'A', 'B', 'A']);
    });

    test('a key never written is absent; an entry whose tag was invalidated is stale, then refilled', async (t) => {
      const store = await open(t);
      const first = await store.get(['k']);
      assert.deepEqual(first.values, ['absent']);
      assert.equal(await store.set([entry('k', 'v1', ['Product:1'], first.seq)]), 1);
      await store.invalidate(['Product:1']);
      const after = await store.get(['k']);
      assert.deepEqual(after.values, ['stale']);
      assert.equal(await store.set([entry('k', 'v2', ['Product:1'], after.seq)]), 1);
      assert.deepEqual((await store.get(['k'])).values.map(text), ['v2']);
    });

    test('a fill whose tag was invalidated after its fetch began is dropped', async (t) => {
      const store = await open(t);
      const { seq } = await store.get(['k']);
      await store.invalidate(['Product:7']);
      assert.equal(await store.set([entry('k', 'late', ['Product:7'], seq)]), 0);
      assert.deepEqual((await store.get(['k'])).values, ['absent']);
    });

    test('a fill is dropped when an ancestor of its tag was invalidated after its fetch began', async (t) => {
      const store = await open(t);
      const { seq } = await store.get(['k']);
      await store.invalidate(['Org:1']);
      assert.equal(await store.set([entry('k', 'late', ['Org:1:stores:2'], seq)]), 0);
      assert.deepEqual((await store.get(['k'])).values, ['absent']);
    });

    test('a fill whose known tags were untouched lands even if other tags were invalidated meanwhile', async (t) => {
      const store = await open(t);
      // Known tags: a store may treat a tag it holds no version for as just invalidated.
      assert.equal(await store.set([entry('warm', 'w', ['Org:1:stores:2'], (await store.get([])).seq)]), 1);
      const { seq } = await store.get(['k']);
      await store.invalidate(['Org:2', 'Product:9', 'Org:1:stores:3']);
      assert.equal(await store.set([entry('k', 'ok', ['Org:1:stores:2'], seq)]), 1);
      assert.deepEqual((await store.get(['k'])).values.map(text), ['ok']);
    });

    test('hierarchy: invalidating a tag stales entries at and below it, not above it or beside it', async (t) => {
      const store = await open(t);
      const fill = async (): Promise<void> => {
        const { seq } = await store.get([]);
        const written = await store.set([
          entry('org', 'org', ['Org:1'], seq),
          entry('stores', 'stores', ['Org:1:stores'], seq),
          entry('store2', 'store2', ['Org:1:stores:2'], seq),
          entry('store3', 'store3', ['Org:1:stores:3'], seq),
          entry('other', 'other', ['Org:2:stores:2'], seq),
        ]);
        assert.equal(written, 5);
      };
      const read = async (): Promise<string[]> => (await store.get(['org', 'stores', 'store2', 'store3', 'other'])).values.map(text);

      await fill();
      await store.invalidate(['Org:1:stores:2']);
      assert.deepEqual(await read(), ['org', 'stores', 'stale', 'store3', 'other']);

      await fill();
      await store.invalidate(['Org:1']);
      assert.deepEqual(await read(), ['stale', 'stale', 'stale', 'stale', 'other']);

      await fill();
      await store.invalidate(['Org']);
      assert.deepEqual(await read(), ['stale', 'stale', 'stale', 'stale', 'stale']);
    });

    test('entries expire after their TTL', async (t) => {
      const store = await open(t);
      const { seq } = await store.get([]);
      // Whether the entry is still there depends on how soon the read follows the write, so that half is checked only
      // when the read came back within the TTL (a loaded machine can take longer); that it is gone after it, always,
      // counted from when the write was acknowledged (the store started its TTL no later), not from when it was sent.
      const ttlMs = 300;
      const written = performance.now();
      assert.equal(await store.set([entry('short', 's', ['T:1'], seq, ttlMs), entry('long', 'l', ['T:1'], seq, 60_000)]), 2);
      const acknowledged = performance.now();
      const early = (await store.get(['short'])).values.map(text);
      if (performance.now() - written < ttlMs) assert.deepEqual(early, ['s']);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, acknowledged + 2 * ttlMs - performance.now())));
      assert.deepEqual((await store.get(['short', 'long'])).values.map(text), ['absent', 'l']);
    });

    test('a fill with a non-positive TTL is not written', async (t) => {
      const store = await open(t);
      const { seq } = await store.get([]);
      assert.equal(await store.set([entry('zero', 'z', [], seq, 0), entry('negative', 'n', [], seq, -5)]), 0);
      assert.deepEqual((await store.get(['zero', 'negative'])).values, ['absent', 'absent']);
    });

    test('seq: equal while nothing is invalidated, different after, and invalidate resolves to the new one', async (t) => {
      const store = await open(t);
      const a = await store.get(['x']);
      const b = await store.get(['y', 'z']);
      assert.ok(typeof a.seq === 'number' || typeof a.seq === 'string');
      assert.equal(a.seq, b.seq);
      const { seq } = await store.get([]);
      await store.set([entry('x', 'x', ['T:1'], seq)]);
      assert.equal((await store.get(['x'])).seq, a.seq, 'a fill does not move the sequence');
      const returned = await store.invalidate(['T:1']);
      const c = await store.get(['x']);
      assert.notEqual(c.seq, a.seq);
      assert.equal(c.seq, returned);
      assert.equal((await store.get([])).seq, c.seq);
    });

    test('invalidating unknown tags resolves and leaves other entries alone', async (t) => {
      const store = await open(t);
      const { seq } = await store.get([]);
      await store.set([entry('k', 'v', ['Known:1'], seq)]);
      await store.invalidate(['Unknown:1', 'Never:seen:before', 'Known:2']);
      assert.deepEqual((await store.get(['k'])).values.map(text), ['v']);
    });

    test('empty batches', async (t) => {
      const store = await open(t);
      const lookup = await store.get([]);
      assert.deepEqual(lookup.values, []);
      assert.ok(typeof lookup.seq === 'number' || typeof lookup.seq === 'string');
      assert.equal(await store.set([]), 0);
      await store.invalidate([]);
      const { seq } = await store.get([]);
      assert.equal(await store.set([entry('k', 'v', [], seq)]), 1);
    });

    test('binary values: every byte value, an empty value, and bytes that are not UTF-8 round-trip exactly', async (t) => {
      const store = await open(t);
      const all = new Uint8Array(512);
      for (let i = 0; i < all.length; i++) all[i] = (i * 7) % 256;
      const tricky = Uint8Array.from([0, 0xff, 0xfe, 0xc3, 0x28, 0x0d, 0x0a, 0x24, 0x2a, 0x3a]);
      const { seq } = await store.get([]);
      assert.equal(
        await store.set([entry('all', all, ['Bin:1'], seq), entry('empty', new Uint8Array(0), ['Bin:1'], seq), entry('tricky', tricky, [], seq)]),
        3,
      );
      const { values } = await store.get(['all', 'empty', 'tricky']);
      assert.deepEqual(
        values.map((v) => (v instanceof Uint8Array ? [...v] : v)),
        [[...all], [], [...tricky]],
      );
      assert.equal(new Set(values[0] as Uint8Array).size, 256);
    });

    test('tags and keys with unusual characters', async (t) => {
      const store = await open(t);
      const tags = ['Café:ünï:😀', 'a;b;3;x', 'Braces:{x}:y', 'Spaces and\ttabs', 'Lone:\uD800tail'];
      const { seq } = await store.get([]);
      assert.equal(await store.set([entry('key {with} ; odd:chars ✓', 'v', tags, seq)]), 1);
      assert.deepEqual((await store.get(['key {with} ; odd:chars ✓'])).values.map(text), ['v']);
      await store.invalidate(['Café:ünï']);
      assert.deepEqual((await store.get(['key {with} ; odd:chars ✓'])).values, ['stale']);
      const again = await store.get([]);
      assert.equal(await store.set([entry('surrogate', 'v', ['Lone:\uD800tail'], again.seq)]), 1);
      await store.invalidate(['Lone:\uD800tail']);
      assert.deepEqual((await store.get(['surrogate'])).values, ['stale']);
    });

    test('a large batch', async (t) => {
      const store = await open(t);
      const keys = Array.from({ length: 600 }, (_, i) => `item:${i}`);
      const { seq } = await store.get(keys);
      const entries = keys.map((key, i) => entry(key, `value-${i}`.repeat(20), [`Item:${i}`, `Group:${i % 10}`], seq));
      assert.equal(await store.set(entries), keys.length);
      await store.invalidate(['Group:3']);
      const { values } = await store.get(keys);
      values.forEach((value, i) => assert.equal(text(value), i % 10 === 3 ? 'stale' : `value-${i}`.repeat(20)));
    });

    test('a stale entry is overwritten by a fresh fill, and an older fill never replaces a newer truth', async (t) => {
      const store = await open(t);
      const before = await store.get(['k']);
      await store.set([entry('k', 'old', ['P:1'], before.seq)]);
      await store.invalidate(['P:1']);
      const after = await store.get(['k']);
      assert.equal(await store.set([entry('k', 'new', ['P:1'], after.seq)]), 1);
      // A slow resolver that began before the invalidation finishes now.
      assert.equal(await store.set([entry('k', 'old-again', ['P:1'], before.seq)]), 0);
      assert.deepEqual((await store.get(['k'])).values.map(text), ['new']);
    });
  });
}
