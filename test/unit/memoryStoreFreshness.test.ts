/**
 * The memory store answers a read without looking its tags' versions up when nothing was invalidated since the
 * entry's fill (its fetch sequence is the store's current one). Freshness must be what the full rule gives: checked
 * against a reference model over random fills, invalidations and reads, with a tag-version LRU small enough that
 * evictions raise the floor too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryStore } from '../../src/index.js';

/** A seeded generator (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

for (const maxTagVersions of [3, 1000]) {
  test(`reads agree with the full freshness rule over random fills and invalidations (maxTagVersions ${maxTagVersions})`, async () => {
    const store = createMemoryStore({ maxTagVersions });
    const next = random(maxTagVersions);
    const tags = ['A', 'B', 'C', 'D', 'E', 'F'];
    const pick = () => tags[Math.floor(next() * tags.length)]!;
    // The reference: every invalidation ever made (tag → sequence), no forgetting; the store may only be stricter
    // than it when an evicted version raised its floor.
    const invalidatedAt = new Map<string, number>();
    const filled = new Map<string, { tags: string[]; fetchSeq: number }>();
    let reads = 0;
    let fastFresh = 0;
    for (let step = 0; step < 3000; step++) {
      const action = next();
      const key = `k${Math.floor(next() * 8)}`;
      if (action < 0.35) {
        // A fill from a lookup made now, or one made a few invalidations ago (a resolver that took a while).
        const { seq } = await store.get([]);
        const fetchSeq = Math.max(0, Number(seq) - Math.floor(next() * 3));
        const entryTags = [pick(), pick()];
        const written = await store.set([{ key, value: new Uint8Array([step & 0xff]), tags: entryTags, ttlMs: 60_000, fetchSeq }]);
        const refused = entryTags.some((tag) => (invalidatedAt.get(tag) ?? -1) > fetchSeq);
        if (refused) assert.equal(written, 0, 'a fill whose tags moved after its lookup must not land');
        if (written) filled.set(key, { tags: entryTags, fetchSeq });
      } else if (action < 0.5) {
        const tag = pick();
        const seq = await store.invalidate([tag]);
        invalidatedAt.set(tag, Number(seq));
      } else {
        const { values, seq } = await store.get([key]);
        const entry = filled.get(key);
        const read = values[0];
        reads++;
        if (!entry) {
          assert.ok(read === 'absent' || read === undefined || read === 'stale', `${key} was never filled`);
          continue;
        }
        const stale = entry.tags.some((tag) => (invalidatedAt.get(tag) ?? -1) > entry.fetchSeq);
        if (stale) assert.ok(!(read instanceof Uint8Array), `step ${step}: ${key} must be stale`);
        else if (maxTagVersions >= 1000) assert.ok(read instanceof Uint8Array, `step ${step}: ${key} must be fresh`);
        if (read instanceof Uint8Array && entry.fetchSeq >= Number(seq)) fastFresh++;
        if (!(read instanceof Uint8Array)) filled.delete(key);
      }
    }
    assert.ok(reads > 1000);
    assert.ok(fastFresh > 0, 'some reads found nothing invalidated since their fill');
  });
}

test('an entry found fresh after an unrelated invalidation still sees the next one that concerns it', async () => {
  const store = createMemoryStore();
  const { seq } = await store.get([]);
  await store.set([{ key: 'page', value: new Uint8Array([1]), tags: ['Product:1', 'Product:2'], ttlMs: 60_000, fetchSeq: seq }]);
  await store.invalidate(['Product:9']);
  // Checked tag by tag, found fresh, and remembered as fresh at this sequence: read twice.
  for (let i = 0; i < 2; i++) assert.ok((await store.get(['page'])).values[0] instanceof Uint8Array, `read ${i + 1} after an unrelated invalidation`);
  await store.invalidate(['Product:2']);
  assert.equal((await store.get(['page'])).values[0], 'stale');
});
