/**
 * The CPU cost of the Redis store's `get` per request, in-process, on the shared Redis: the in-process tier in strict
 * mode against the store without it (and, with STRICT_BASELINE=<dir of another checkout's src>, against that
 * checkout's strict mode), rounds alternated so the machine's load hits every side alike. `loops` concurrent request
 * loops each do get([one key]) (Zipf-ish over `keys` keys, each entry tagged with its product and its page), fill on a
 * miss, then yield to I/O; with `invalidateEveryMs` > 0 another store invalidates a random product tag at that rate
 * (the mixed workload's mutations). Reports CPU µs per get (user + system, GC included) and the share served.
 *
 *   node --import tsx test/perf/strictTierCost.ts [rounds=5] [getsPerRound=6000] [invalidateEveryMs=0] [loops=16]
 *   STRICT_FAST=1 ...   # fast mode too
 */
import { Redis } from 'ioredis';
import { createRedisStore, type RedisStore } from '../../src/stores/redis/index.js';
import { expandTags } from '../../src/tags/hierarchy.js';

const rounds = Number(process.argv[2] ?? 5);
const perRound = Number(process.argv[3] ?? 6000);
const invalidateEveryMs = Number(process.argv[4] ?? 0);
const loops = Number(process.argv[5] ?? 16);
const keyCount = 400;
const prefix = `perf-strict-${process.pid}`;

type Create = typeof createRedisStore;
const sides: { name: string; create: Create; local: boolean; mode?: 'strict' | 'fast' }[] = [
  { name: 'strict', create: createRedisStore, local: true },
  { name: 'no tier', create: createRedisStore, local: false },
];
if (process.env.STRICT_FAST) sides.push({ name: 'fast', create: createRedisStore, local: true, mode: 'fast' });
if (process.env.STRICT_BASELINE) {
  const old = (await import(`${process.env.STRICT_BASELINE}/stores/redis/index.ts`)) as { createRedisStore: Create };
  sides.unshift({ name: 'strict (baseline)', create: old.createRedisStore, local: true });
}

const template = new Redis({ host: '127.0.0.1', lazyConnect: true });
const value = Buffer.alloc(600, 7);
const tagsOf = (k: number) => expandTags([`Product:${k}`, `Page:${k % 20}`]);
/** Zipf-ish: low keys much more often. */
const pick = () => Math.floor(keyCount * Math.random() ** 3);

async function round(store: RedisStore, writer: RedisStore): Promise<{ us: number; served: number; fromTier: number }> {
  let left = perRound;
  const tierHitsBefore = store.localTier?.hits ?? 0;
  let served = 0;
  let mutating = invalidateEveryMs > 0;
  const mutations = (async () => {
    while (mutating) {
      await new Promise((resolve) => setTimeout(resolve, invalidateEveryMs));
      await writer.invalidate([`Product:${pick()}`]).catch(() => {});
    }
  })();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (left-- > 0) {
        const k = pick();
        const lookup = await store.get([`op:${k}`]).catch(() => undefined);
        const read = lookup?.values[0];
        if (read instanceof Uint8Array) served++;
        else if (lookup) void store.set([{ key: `op:${k}`, value, tags: tagsOf(k), ttlMs: 60_000, fetchSeq: lookup.seq }]);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  mutating = false;
  await mutations;
  return { us: (used.user + used.system) / perRound, served: served / perRound, fromTier: ((store.localTier?.hits ?? 0) - tierHitsBefore) / perRound };
}

const stores = await Promise.all(
  sides.map(async (side) => {
    const store = side.create({
      client: template,
      prefix: `${prefix}-${side.name.replace(/\W/g, '')}`,
      ...(side.local ? { local: { mode: side.mode ?? 'strict' } } : {}),
    });
    const writer = side.create({ client: template, prefix: `${prefix}-${side.name.replace(/\W/g, '')}` });
    await store.whenConnected(10_000);
    await writer.whenConnected(10_000);
    return { side, store, writer };
  }),
);
const results = new Map<string, number[]>(sides.map((s) => [s.name, []]));
// Warm-up round for each side, then alternate.
for (const { store, writer } of stores) await round(store, writer);
for (let r = 0; r < rounds; r++) {
  const line: string[] = [];
  for (const { side, store, writer } of r % 2 === 0 ? stores : [...stores].reverse()) {
    const { us, served, fromTier } = await round(store, writer);
    results.get(side.name)!.push(us);
    line.push(`${side.name} ${us.toFixed(1)} µs/get (${(served * 100).toFixed(0)} % served, ${(fromTier * 100).toFixed(0)} % from the tier)`);
  }
  console.log(`round ${r + 1}: ${line.join(', ')}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`medians: ${[...results].map(([name, xs]) => `${name} ${median(xs).toFixed(1)} µs/get`).join(', ')}`);
for (const { store, writer } of stores) {
  await store.close();
  await writer.close();
}
template.disconnect();
