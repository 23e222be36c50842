/**
 * Two applications sharing a Redis with different prefixes never see each
 * other's entries, tag versions or sequences, and every key a store writes
 * carries its prefix and the store format version.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STORE_FORMAT_VERSION } from '../../../src/stores/redis/index.js';
import { connectOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text } from './support.js';

test('two prefixes on one Redis are isolated', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefixA = uniquePrefix('appA');
  const prefixB = uniquePrefix('appB');
  const a = await openStore(t, redis, { prefix: prefixA });
  const b = await openStore(t, redis, { prefix: prefixB });

  const seqA = (await a.get([])).seq;
  const seqB = (await b.get([])).seq;
  assert.notEqual(seqA, seqB, 'each prefix has its own sequence (and epoch)');
  assert.equal(await a.set([entry('user:1', 'from A', ['User:1'], seqA)]), 1);
  assert.deepEqual((await b.get(['user:1'])).values, ['absent'], 'B does not see A');
  assert.equal(await b.set([entry('user:1', 'from B', ['User:1'], seqB)]), 1);

  await b.invalidate(['User:1']);
  assert.deepEqual((await a.get(['user:1'])).values.map(text), ['from A'], "B's invalidation does not touch A");
  assert.equal((await a.get([])).seq, seqA, "nor A's sequence");
  assert.deepEqual((await b.get(['user:1'])).values, ['stale']);

  const keys = async (prefix: string): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.admin.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };
  const keysA = await keys(prefixA);
  assert.ok(keysA.length >= 3, 'sequence, tag records and the entry');
  for (const key of keysA) assert.ok(key.startsWith(`{${prefixA}:v${STORE_FORMAT_VERSION}:`), `${key} is namespaced and versioned`);
  assert.ok((await keys(prefixB)).every((key) => !key.includes(prefixA)));
});
