/**
 * On a single Redis, every store call is one command, hence one round trip:
 * one script for a `get` (entries and tag records read together), one for a
 * `set`, one for an `invalidate`. Counted with MONITOR on a private server,
 * which tells commands sent by clients from those run inside scripts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownRedisOrSkip } from '../../helpers/redis.js';
import { entry, openStore, patientDeadlines, traceCommands } from './support.js';

test('get, set and invalidate are one script each on a single Redis', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const store = await openStore(t, server, patientDeadlines);
  const measure = await traceCommands(t, server);

  const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
  const first = await store.get(keys);
  await store.set(keys.slice(0, 10).map((key, i) => entry(key, `v${i}`, [`Org:${i % 3}:stores:${i}`], first.seq)));
  await store.invalidate(['Org:1']);

  const get = await measure(() => store.get(keys));
  assert.deepEqual(get.sent, ['evalsha'], 'a get of 20 keys (hits, misses, stale) is one EVALSHA');
  // The sequence, one read per entry, one read of all their tag records.
  assert.equal(get.inside.length, 1 + 20 + 1, `the script did the reading in ${get.inside.length} commands: ${get.inside.join(' ')}`);

  const { seq } = await store.get([]);
  const set = await measure(() => store.set(keys.map((key, i) => entry(key, `w${i}`, [`Org:${i % 3}:stores:${i}`], seq))));
  assert.deepEqual(set.sent, ['evalsha'], 'a set of 20 entries is one EVALSHA');

  assert.deepEqual((await measure(() => store.invalidate(['Org:2', 'Product:1', 'Product:2']))).sent, ['evalsha'], 'an invalidate is one EVALSHA');
  assert.deepEqual((await measure(() => store.get([]))).sent, ['evalsha'], 'an empty get is one EVALSHA');
});
