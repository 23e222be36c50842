/**
 * The Redis store shares rounds between concurrent requests (tickBatch.ts): the gets made in one turn of the event
 * loop, each its own request's batch, reach Redis as one round, without the in-process tier, in its strict mode
 * (catch-up and lookup) and in its fast mode (the lookup of what no request holds). Counted on a Redis of the test's own (INFO commandstats is
 * server-wide), with values checked per caller.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandCalls, ownRedisOrSkip, uniquePrefix } from '../../helpers/redis.js';
import { entry, openStore, text } from './support.js';

const scripts = (calls: Record<string, number>) => (calls.evalsha ?? 0) + (calls.eval ?? 0);

for (const mode of ['no tier', 'strict', 'fast'] as const) {
  test(`${mode}: the misses of 20 concurrent gets in one turn are one round to Redis, each get answered its own keys`, async (t) => {
    const redis = await ownRedisOrSkip(t);
    if (!redis) return;
    const prefix = uniquePrefix(`shared-rounds-${mode.replace(' ', '-')}`);
    const writer = await openStore(t, redis, { prefix });
    const reader = await openStore(t, redis, { prefix, ...(mode === 'no tier' ? {} : { local: { mode } }), readTimeoutMs: 2000 });
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const { seq } = await writer.get(keys);
    assert.equal(await writer.set(keys.map((k) => entry(k, `v:${k}`, [`P:${k}`], seq))), keys.length);
    // Fast mode's idle poll must not land inside the counted window: let the reader settle first.
    await reader.get([]);
    const before = await commandCalls(redis.admin);
    const lookups = await Promise.all(keys.map((k, i) => reader.get([k, keys[(i + 1) % keys.length]!])));
    const after = await commandCalls(redis.admin);
    lookups.forEach((lookup, i) => assert.deepEqual(lookup.values.map(text), [`v:${keys[i]}`, `v:${keys[(i + 1) % keys.length]}`]));
    const sent = scripts(after) - scripts(before);
    assert.ok(sent <= 2, `one shared round (a fast-mode idle poll may add one), got ${sent} scripts for 20 gets`);
    if (mode === 'no tier') return;
    // And they are held now: another round of the same gets reads no value bytes.
    const held = reader.localTier!.hits;
    await Promise.all(keys.map((k) => reader.get([k])));
    assert.equal(reader.localTier!.hits - held, keys.length);
  });
}
