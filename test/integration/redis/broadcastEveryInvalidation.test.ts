/**
 * Every acknowledged invalidation is published, whatever the publisher's mode: one made by a store without the
 * in-process tier (or in strict mode), and one delivered late by the retry of an unacknowledged invalidation, reach
 * a fast-mode reader as broadcasts. It drops exactly the entries carrying the tags, without flushing its tier (which
 * it would do, after `gapMs`, for an invalidation it only noticed as a gap in the sequence).
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Redis } from 'ioredis';
import type { RedisStore } from '../../../src/stores/redis/index.js';
import { parseInvalidationMessage, type InvalidationMessage } from '../../../src/stores/redis/invalidationBroadcast.js';
import { connectOrSkip, eventually, onCleanup, ownRedisOrSkip, type RedisTarget } from '../../helpers/redis.js';
import { startFaultProxy } from '../../helpers/faultProxy.js';
import { entry, openStore, text } from './support.js';

const GAP_MS = 1500;

/** A fast-mode reader holding `a` (tag P:1) and `b` (tag P:2), both served from its memory. */
async function readerHolding(t: TestContext, target: RedisTarget, prefix: string): Promise<RedisStore> {
  const reader = await openStore(t, target, { prefix, local: { mode: 'fast', gapMs: GAP_MS } });
  assert.ok(await eventually(() => !reader.localTier!.bypassed), 'subscriber ready');
  const { seq } = await reader.get(['a', 'b']);
  assert.equal(await reader.set([entry('a', 'old-a', ['P:1'], seq), entry('b', 'old-b', ['P:2'], seq)]), 2);
  const hits = reader.localTier!.hits;
  const { values } = await reader.get(['a', 'b']);
  assert.deepEqual(values.map(text), ['old-a', 'old-b']);
  assert.equal(reader.localTier!.hits, hits + 2, 'both served from memory');
  return reader;
}

/** Waits until `a` is no longer served, then past `gapMs`: `b` is still held and served from memory, nothing was flushed. */
async function assertDroppedExactly(reader: RedisStore, flushesBefore: number): Promise<void> {
  assert.ok(await eventually(async () => text((await reader.get(['a'])).values[0]) !== 'old-a', 5000, 5), 'a is dropped');
  await new Promise((resolve) => setTimeout(resolve, GAP_MS + 500));
  assert.equal(reader.localTier!.flushes, flushesBefore, 'the tier was not flushed (the invalidation arrived as a broadcast, not a gap)');
  const hits = reader.localTier!.hits;
  assert.equal(text((await reader.get(['b'])).values[0]), 'old-b');
  assert.equal(reader.localTier!.hits, hits + 1, 'b is still served from memory');
}

/** Collects the messages published on the prefix's channel. */
async function listen(t: TestContext, port: number, prefix: string): Promise<InvalidationMessage[]> {
  const subscriber = new Redis({ host: '127.0.0.1', port });
  onCleanup(t, () => subscriber.disconnect());
  const messages: InvalidationMessage[] = [];
  subscriber.on('message', (_channel: string, body: string) => {
    const m = parseInvalidationMessage(body);
    if (m) messages.push(m);
  });
  await subscriber.subscribe(`${prefix}:invalidations`);
  return messages;
}

for (const writerMode of ['none', 'strict'] as const) {
  test(`an invalidation by a store ${writerMode === 'none' ? 'without the in-process tier' : 'in strict mode'} is broadcast: a fast reader drops exactly its entries, without a flush`, async (t) => {
    const redis = await connectOrSkip(t);
    if (!redis) return;
    const prefix = `ct-bcast-${writerMode}-${process.pid}-${Date.now().toString(36)}`;
    const messages = await listen(t, redis.port, prefix);
    const reader = await readerHolding(t, redis, prefix);
    const writer = await openStore(t, redis, { prefix, source: 'test-writer', ...(writerMode === 'strict' ? { local: { mode: 'strict' } } : {}) });
    const flushes = reader.localTier!.flushes;
    await writer.invalidate(['P:1']);
    await assertDroppedExactly(reader, flushes);
    const mine = messages.filter((m) => m.source === 'test-writer');
    assert.equal(mine.length, 1, 'one message for the one shard raised');
    assert.deepEqual(mine[0]!.tags, ['P:1']);
    assert.equal(mine[0]!.shards.length, 1);
  });
}

test('an invalidation acknowledged by a retry is broadcast too: a fast reader drops exactly its entries, without a flush', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const proxy = await startFaultProxy(server.port);
  onCleanup(t, () => proxy.close());
  const prefix = `ct-bcast-retry-${process.pid}`;
  const messages = await listen(t, server.port, prefix);
  const reader = await readerHolding(t, server, prefix);
  const writer = await openStore(
    t,
    { template: () => new Redis({ host: '127.0.0.1', port: proxy.port, lazyConnect: true }) },
    { prefix, source: 'retrying-writer', writeTimeoutMs: 100 },
  );
  assert.ok(await writer.whenConnected());
  const flushes = reader.localTier!.flushes;
  proxy.blackhole();
  await assert.rejects(writer.invalidate(['P:1']), { code: 'INVALIDATION_UNACKNOWLEDGED' });
  assert.equal(writer.pendingInvalidations, 1);
  proxy.heal();
  proxy.cut();
  proxy.heal();
  assert.ok(await eventually(() => writer.pendingInvalidations === 0, 10_000), 'the retry landed');
  await assertDroppedExactly(reader, flushes);
  assert.ok(
    messages.some((m) => m.source === 'retrying-writer' && m.tags.includes('P:1')),
    'the retry published it',
  );
});
