/**
 * A late fill from another process never gets served: a resolver that began
 * before a mutation's invalidation can neither write its value through the
 * store afterwards, nor have it served if it lands in Redis some other way
 * (a retried write, a paused server resuming): freshness is checked on read.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectOrSkip, onCleanup, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text } from './support.js';

const child = fileURLToPath(new URL('./lateFillChild.ts', import.meta.url));

for (const shards of [1, 3]) {
  test(`a late fill from another process is dropped on write and refused on read (${shards} shard(s))`, async (t) => {
    const redis = await connectOrSkip(t);
    if (!redis) return;
    const prefix = uniquePrefix('late');
    const store = await openStore(t, redis, { prefix, shards, readTimeoutMs: 2000, writeTimeoutMs: 2000 });
    const tag = 'Org:1:stores:2';

    // The tags are known (their records exist) and a sibling entry is cached.
    const warm = await store.get(['sibling']);
    assert.equal(await store.set([entry('sibling', 'sibling value', [tag], warm.seq)]), 1);

    const proc = spawn(process.execPath, ['--import', 'tsx', child, String(redis.port), prefix, String(shards), 'late', tag], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    onCleanup(t, () => proc.kill());
    const events = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
    const next = async (): Promise<{ event: string; [k: string]: unknown }> => JSON.parse((await events.next()).value as string);

    const fetched = await next();
    assert.equal(fetched.event, 'fetched');
    assert.deepEqual(fetched.values, ['absent']);
    assert.equal(fetched.seq, (await store.get([])).seq, 'both processes see the same sequence');

    // The mutation: invalidate an ancestor of the child's tag while its resolver runs.
    await store.invalidate(['Org:1']);
    proc.stdin!.write('go\n');
    const set = await next();
    assert.deepEqual(set, { event: 'set', written: 0 });
    assert.deepEqual((await store.get(['late', 'sibling'])).values, ['absent', 'stale']);

    proc.stdin!.write('raw\n');
    assert.equal((await next()).event, 'raw');
    assert.deepEqual((await store.get(['late'])).values, ['stale'], 'the raw late entry is in Redis but never served');

    // A fill that began after the invalidation lands and is served.
    const fresh = await store.get(['late']);
    assert.equal(await store.set([entry('late', 'fresh value', [tag], fresh.seq)]), 1);
    assert.deepEqual((await store.get(['late'])).values.map(text), ['fresh value']);
  });
}
