/**
 * Scripts run on the CPU the application shares, so what they execute inside
 * Redis is pinned, command by command: a lookup reads the sequence, each
 * entry once and all the tag records it needs in one MGET; a fill reads the
 * records in one MGET and writes a record only when it is missing or would
 * expire before the entry it guards; an invalidation reads the records once
 * and rewrites the ones that exist, and logs itself (a first fill fetched before
 * it reads that log once). Counted with MONITOR on a private server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownRedisOrSkip } from '../../helpers/redis.js';
import { entry, openStore, patientDeadlines, tally, traceCommands } from './support.js';

test('commands executed inside Redis per call', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const store = await openStore(t, server, patientDeadlines);
  const trace = await traceCommands(t, server);
  const inside = async (call: () => Promise<unknown>): Promise<Record<string, number>> => tally((await trace(call)).inside);

  // 20 entries sharing some tags: 7 each, ancestors included; 39 distinct.
  const keys = Array.from({ length: 20 }, (_, i) => `product:${i}`);
  const entries = (seq: string | number, ttlMs = 60_000): ReturnType<typeof entry>[] =>
    keys.map((key, i) => entry(key, `value ${i}`, [`Product:${i}`, `Store:${i % 4}:products`, `Category:${i % 8}`], seq, ttlMs));
  const tagCount = new Set(entries('x').flatMap((e) => e.tags)).size;
  assert.equal(tagCount, 39);

  const cold = await store.get(keys);
  assert.deepEqual(await inside(() => store.get(keys)), { hmget: 1, getrange: 20 }, 'a lookup of absent keys reads no tag record');
  assert.deepEqual(
    await inside(() => store.set(entries(cold.seq))),
    { hmget: 1, mget: 1, time: 1, set: tagCount + 20 },
    'the first fill creates each distinct record once, then writes the entries',
  );
  const { seq } = await store.get([]);
  assert.deepEqual(
    await inside(() => store.set(entries(seq))),
    { hmget: 1, mget: 1, time: 1, set: 20 },
    'a fill whose records already outlive its entries writes only the entries',
  );
  assert.deepEqual(
    await inside(() => store.set(entries(seq, 600_000))),
    { hmget: 1, mget: 1, time: 1, set: tagCount + 20 },
    'a fill of longer-lived entries renews the records once',
  );

  await store.invalidate(['Unrelated:1']);
  const get = await inside(() => store.get(keys));
  assert.deepEqual(get, { hmget: 1, getrange: 20, mget: 1 }, 'a lookup of 20 entries: the sequence, each entry once, all their records in one MGET');
  assert.equal((await store.get(keys)).values.filter((v) => v instanceof Uint8Array).length, 20, 'and they were hits');

  const hot = entry('hot', 'page', ['Org:1:stores:2:products:3', 'Product:3:reviews', 'Category:7:products', 'Store:2', 'Query'], (await store.get([])).seq);
  assert.equal(hot.tags.length, 15);
  assert.equal(await store.set([hot]), 1);
  await store.invalidate(['Unrelated:2']);
  assert.deepEqual(await inside(() => store.get(['hot'])), { hmget: 1, getrange: 1, mget: 1 }, 'one entry with 15 tags: three commands');
  assert.ok((await store.get(['hot'])).values[0] instanceof Uint8Array, 'a hit');

  assert.deepEqual(
    await inside(() => store.invalidate(['Product:1', 'Category:2', 'Never:seen'])),
    { hmget: 1, hincrby: 1, mget: 1, set: 2, lpush: 1, ltrim: 1, publish: 1 },
    'an invalidation rewrites only the records that exist, logs itself and publishes itself once',
  );
  const before = await store.get([]);
  await store.invalidate(['Unrelated:3']);
  assert.deepEqual(
    await inside(() => store.set([entry('new', 'n', ['Brand:new'], before.seq)])),
    { hmget: 1, mget: 1, time: 1, lrange: 1, set: 3 },
    'a first fill fetched before an invalidation reads the log once, then creates its records and writes the entry',
  );
  assert.deepEqual(await inside(() => store.get([])), { hmget: 1 }, 'an empty get reads the sequence only');
});

test('tag records are read in chunks small enough for Lua', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const store = await openStore(t, server, patientDeadlines);
  const trace = await traceCommands(t, server);
  const { seq } = await store.get([]);
  const tags = Array.from({ length: 2500 }, (_, i) => `Wide:${i}`);
  assert.equal(await store.set([entry('wide', 'w', tags, seq)]), 1);
  await store.invalidate(['Unrelated:1']);
  const get = await trace(() => store.get(['wide']));
  assert.deepEqual(tally(get.inside), { hmget: 1, getrange: 1, mget: 3 }, '2,501 records in MGETs of at most 1,000 keys');
});
