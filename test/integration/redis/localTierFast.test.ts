/**
 * The in-process tier in fast mode: held values are served with no round trip, invalidations reach the other
 * instances by pub/sub, and a lost broadcast (here: an invalidation made in Redis directly, the counter raised and the
 * tag's record deleted with no message, as when pub/sub drops one) is caught by passive resync (a gap noticed on a reply or an idle poll, then a flush). Prints the
 * staleness measured (from the acknowledged invalidation on one instance until the other stops serving the old
 * value): p50/p99/max, with broadcasts delivered and with every broadcast lost.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RedisStore } from '../../../src/stores/redis/index.js';
import { connectOrSkip, eventually, onCleanup, ownRedisOrSkip, startRedisServer, uniquePrefix } from '../../helpers/redis.js';
import { startFaultProxy } from '../../helpers/faultProxy.js';
import { Redis } from 'ioredis';
import { entry, openStore, seqKey, tagKey, text } from './support.js';

const yieldTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Fills `k` through `writer`, waits until `reader` serves it from memory, invalidates P:1, and times the stale window. */
async function measure(
  writer: RedisStore,
  reader: RedisStore,
  rounds: number,
  invalidate = (): Promise<unknown> => writer.invalidate(['P:1']),
): Promise<number[]> {
  const windows: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const { seq } = await writer.get(['k']);
    assert.equal(await writer.set([entry('k', `v${i}`, ['P:1'], seq)]), 1);
    const held = await eventually(
      async () => {
        const hits = reader.localTier!.hits;
        const value = (await reader.get(['k']).catch(() => undefined))?.values[0];
        return text(value) === `v${i}` && reader.localTier!.hits > hits;
      },
      5000,
      1,
    );
    assert.ok(held, `round ${i}: the reader holds v${i}`);
    await invalidate();
    const acknowledged = performance.now();
    for (;;) {
      const value = (await reader.get(['k']).catch(() => undefined))?.values[0];
      if (text(value) !== `v${i}`) break;
      await yieldTick();
    }
    windows.push(performance.now() - acknowledged);
  }
  return windows;
}

function summary(ms: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2));
  return { p50: at(0.5), p99: at(0.99), max: at(1) };
}

test('fast: held values are served from memory; a broadcast invalidation stops them within milliseconds', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('local-fast');
  const a = await openStore(t, redis, { prefix, local: { mode: 'fast' } });
  const b = await openStore(t, redis, { prefix, local: { mode: 'fast' } });
  assert.ok(await eventually(() => !a.localTier!.bypassed && !b.localTier!.bypassed), 'subscribers ready');
  const windows = await measure(a, b, 100);
  const s = summary(windows);
  console.log(`fast mode staleness, broadcast delivered (ms): p50 ${s.p50} p99 ${s.p99} max ${s.max}`);
  assert.ok(s.max < 250 + 100 + 200, `bounded by pollMs + gapMs (+ slack for a loaded machine): ${s.max}`);
});

test('fast: with every broadcast lost, passive resync (poll, gap, flush) bounds staleness by pollMs + gapMs', async (t) => {
  const redis = await connectOrSkip(t);
  if (!redis) return;
  const prefix = uniquePrefix('local-fast-lost');
  const writer = await openStore(t, redis, { prefix });
  const reader = await openStore(t, redis, { prefix, local: { mode: 'fast', pollMs: 50, gapMs: 20 } });
  assert.ok(await eventually(() => !reader.localTier!.bypassed), 'subscriber ready');
  const flushes = reader.localTier!.flushes;
  // Every store publishes its invalidations: a lost broadcast is an invalidation made in Redis with no message
  // (the record deleted, then the counter raised, as the store's migration fallback does before it publishes).
  const lost = async (): Promise<void> => {
    await redis.admin.del(tagKey(prefix, 'P:1'));
    await redis.admin.hincrby(seqKey(prefix), 'n', 1);
  };
  const windows = await measure(writer, reader, 40, lost);
  const s = summary(windows);
  console.log(`fast mode staleness, every broadcast lost, pollMs 50 gapMs 20 (ms): p50 ${s.p50} p99 ${s.p99} max ${s.max}`);
  assert.ok(reader.localTier!.flushes > flushes, 'gaps flushed the tier');
  assert.ok(s.max < 50 + 20 + 200, `bounded by pollMs + gapMs (+ slack): ${s.max}`);
});

test('fast: a cut subscriber flushes and bypasses the tier until it is back; Redis restarted empty starts over', async (t) => {
  const server = await ownRedisOrSkip(t);
  if (!server) return;
  const proxy = await startFaultProxy(server.port);
  onCleanup(t, () => proxy.close());
  const prefix = uniquePrefix('local-fast-cut');
  const writer = await openStore(t, server, { prefix, local: { mode: 'fast' } });
  const reader = await openStore(
    t,
    { template: () => new Redis({ host: '127.0.0.1', port: proxy.port, lazyConnect: true }) },
    { prefix, local: { mode: 'fast', pingMs: 50 } },
  );
  assert.ok(await eventually(() => !reader.localTier!.bypassed), 'subscriber ready');
  const { seq } = await writer.get(['k']);
  await writer.set([entry('k', 'old', ['P:1'], seq)]);
  assert.ok(await eventually(async () => text((await reader.get(['k']).catch(() => undefined))?.values[0]) === 'old' && reader.localTier!.entries === 1));

  proxy.blackhole();
  assert.ok(await eventually(() => reader.localTier!.bypassed, 2000), 'a silent subscriber is noticed by its ping');
  assert.equal(reader.localTier!.entries, 0, 'flushed');
  // Meanwhile the invalidation is broadcast and lost for the reader.
  await writer.invalidate(['P:1']);
  proxy.heal();
  proxy.cut();
  proxy.heal();
  assert.ok(await eventually(() => !reader.localTier!.bypassed, 5000), 'back after reconnecting');
  assert.ok(await eventually(async () => (await reader.get(['k']).catch(() => undefined))?.values[0] === 'stale', 5000));

  // Redis restarted empty while the reader holds a value: a new epoch, nothing held survives.
  const { seq: seq2 } = await writer.get(['j']);
  await writer.set([entry('j', 'before-restart', ['Q:1'], seq2)]);
  assert.ok(
    await eventually(async () => text((await reader.get(['j']).catch(() => undefined))?.values[0]) === 'before-restart' && reader.localTier!.entries > 0),
  );
  await server.stop();
  const again = await startRedisServer({ port: server.port });
  onCleanup(t, () => again.stop());
  assert.ok(
    await eventually(async () => {
      const v = (await reader.get(['j']).catch(() => undefined))?.values[0];
      return v === 'absent';
    }, 10_000),
    'after the restart the reader never serves its held value once it sees Redis again',
  );
});
