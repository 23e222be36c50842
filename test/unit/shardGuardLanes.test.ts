/** A cluster shard's breakers: reads and fills that fail on one shard never refuse that shard's invalidations, nor any call to another shard. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createShardGuard } from '../../src/stores/redis/shardGuard.js';

test('per shard, failed reads and fills open their own breaker; invalidations and other shards still go through', async () => {
  const guard = createShardGuard(2, 2, 60_000);
  const until = performance.now() + 1000;
  let calls = 0;
  const ok = async (): Promise<string> => (calls++, 'ok');
  for (let i = 0; i < 2; i++)
    await assert.rejects(
      guard.run(0, until, 'fill', () => Promise.reject(new Error('late'))),
      /late/,
    );
  assert.equal(guard.state, 'open');
  await assert.rejects(guard.run(0, until, 'lookup', ok), /circuit breaker of shard 0 \(reads and fills\) is open after 2 consecutive failures/);
  assert.equal(calls, 0, 'the refused call never ran');
  assert.equal(await guard.run(0, until, 'invalidate', ok, 'invalidate'), 'ok', "the shard's invalidations have their own breaker");
  assert.equal(await guard.run(1, until, 'lookup', ok), 'ok', 'another shard is not concerned');
  for (let i = 0; i < 2; i++) {
    await assert.rejects(
      guard.run(1, until, 'invalidate', () => Promise.reject(new Error('down')), 'invalidate'),
      /down/,
    );
  }
  await assert.rejects(guard.run(1, until, 'invalidate', ok, 'invalidate'), /circuit breaker of shard 1 \(invalidations\) is open/);
  assert.equal(await guard.run(1, until, 'lookup', ok), 'ok', "failed invalidations do not refuse the shard's reads");
  assert.equal(calls, 3);
});
