/** Shared set-up for the Redis store's integration tests. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TestContext } from 'node:test';
import type { Cluster, Redis } from 'ioredis';
import { createRedisStore, type RedisStore, type RedisStoreOptions } from '../../../src/stores/redis/index.js';
import { shardLayouts, shardOf } from '../../../src/stores/redis/layout.js';
import type { StoreEntry, StoreSeq } from '../../../src/stores/types.js';
import { expandTags } from '../../../src/tags/hierarchy.js';
import { deletePrefix, onCleanup, type RedisTarget, uniquePrefix } from '../../helpers/redis.js';

export interface StoreTarget {
  template(): Redis | Cluster;
  readonly admin?: Redis;
}

/**
 * A connected store on the target with a unique prefix, closed (and its keys
 * deleted, when an admin client is given) after the test.
 */
export async function openStore(t: TestContext, target: StoreTarget, options: Partial<Omit<RedisStoreOptions, 'client'>> = {}): Promise<RedisStore> {
  const prefix = options.prefix ?? uniquePrefix();
  const store = createRedisStore({ ...options, prefix, client: target.template() });
  onCleanup(t, async () => {
    await store.close();
    if (target.admin && target.admin.status === 'ready') await deletePrefix(target.admin, prefix).catch(() => {});
  });
  // A cluster that has just formed may take a few seconds to answer every shard's first check on a busy machine.
  if (!(await store.whenConnected(15_000))) throw new Error('the Redis store did not connect within 15 s');
  return store;
}

export function entry(key: string, value: string | Uint8Array, tags: readonly string[], fetchSeq: StoreSeq, ttlMs = 60_000): StoreEntry {
  return { key, value: typeof value === 'string' ? Buffer.from(value) : value, tags: expandTags(tags), ttlMs, fetchSeq };
}

export function text(read: unknown): string {
  return read instanceof Uint8Array ? Buffer.from(read).toString() : String(read);
}

/** The Redis key under which the store keeps `key`. */
export function entryKey(prefix: string, key: string, shards = 1): string {
  return shardLayouts(prefix, shards)[shardOf(key, shards)]!.entryKeyPrefix + key;
}

/** The Redis key of a tag's version record. */
export function tagKey(prefix: string, tag: string, shards = 1): string {
  return shardLayouts(prefix, shards)[shardOf(tag, shards)]!.tagKeyPrefix + tag;
}

/** The Redis key of a shard's sequence. */
export function seqKey(prefix: string, shard = 0, shards = 1): string {
  return shardLayouts(prefix, shards)[shard]!.seqKey;
}

/** Runs `call`, returning how long it took to settle and how. */
export async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await call();
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

/** One call made by `startLoad`. */
export interface CallRecord {
  readonly op: 'get' | 'set' | 'invalidate';
  /** performance.now() when the call started. */
  readonly at: number;
  readonly ms: number;
  readonly ok: boolean;
  readonly error?: unknown;
}

/**
 * Concurrent workers doing what the engine does: look up a few keys, fill the
 * misses with the lookup's sequence, now and then invalidate a tag.
 */
export function startLoad(
  store: { get: RedisStore['get']; set: RedisStore['set']; invalidate: RedisStore['invalidate'] },
  workers = 8,
): { records: CallRecord[]; stop(): Promise<void> } {
  const records: CallRecord[] = [];
  let running = true;
  const record = async <T>(op: CallRecord['op'], call: () => Promise<T>): Promise<T | undefined> => {
    const at = performance.now();
    try {
      const value = await call();
      records.push({ op, at, ms: performance.now() - at, ok: true });
      return value;
    } catch (error) {
      records.push({ op, at, ms: performance.now() - at, ok: false, error });
      return undefined;
    }
  };
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; running; i++) {
      const keys = Array.from({ length: 5 }, (_, j) => `load:${(w * 7 + i * 3 + j) % 200}`);
      const lookup = await record('get', () => store.get(keys));
      if (lookup) {
        const misses = keys.filter((_, j) => !(lookup.values[j] instanceof Uint8Array));
        if (misses.length > 0) await record('set', () => store.set(misses.map((key) => entry(key, `v:${key}`, [`Load:${key}`], lookup.seq))));
      }
      if (i % 10 === 9) await record('invalidate', () => store.invalidate([`Load:load:${(w + i) % 200}`]));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return {
    records,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** What one call made Redis execute, as MONITOR saw it. */
export interface CommandTrace {
  /** Commands clients sent (one per round trip for the store), lower case, in order. */
  readonly sent: string[];
  /** Commands scripts executed inside Redis, lower case, in order. */
  readonly inside: string[];
}

/**
 * Starts MONITOR on a server (a private one: MONITOR sees every client) and
 * returns a function that traces the commands one call makes Redis execute.
 * Calls are fenced by ECHOs from another connection: once a fence shows up in
 * MONITOR, every command sent before it has shown up too.
 */
export async function traceCommands(
  t: TestContext,
  server: RedisTarget,
): Promise<((call: () => Promise<unknown>) => Promise<CommandTrace>) & { stop(): void }> {
  const fence = server.admin.duplicate();
  onCleanup(t, () => fence.disconnect());
  await fence.ping();
  const monitor = await server.admin.monitor();
  onCleanup(t, () => monitor.disconnect());
  let seen: { command: string; source: string; arg: string }[] = [];
  const fenceSeen = new Map<string, () => void>();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const command = String(args[0]).toLowerCase();
    seen.push({ command, source, arg: String(args[1]) });
    if (command === 'echo') fenceSeen.get(String(args[1]))?.();
  });
  let marker = 0;
  // Resolves when MONITOR shows the fence, however long a loaded machine takes; a fence never seen fails the test
  // (after 30 s) instead of letting it count a trace that is still arriving.
  const waitForFence = async (): Promise<void> => {
    const tag = `fence-${++marker}`;
    let timer: NodeJS.Timeout | undefined;
    const shown = new Promise<void>((resolve, reject) => {
      fenceSeen.set(tag, resolve);
      timer = setTimeout(() => reject(new Error(`MONITOR did not show the fence ${tag} within 30 s`)), 30_000);
    });
    try {
      await fence.echo(tag);
      await shown;
    } finally {
      clearTimeout(timer);
      fenceSeen.delete(tag);
    }
  };
  // stop(): before the server restarts, so that the MONITOR connection does not reconnect into a confused state.
  const stop = (): void => {
    monitor.disconnect();
    fence.disconnect();
  };
  return Object.assign(
    async (call: () => Promise<unknown>): Promise<CommandTrace> => {
      await waitForFence();
      seen = [];
      await call();
      await waitForFence();
      const mine = seen.filter((s) => s.command !== 'echo');
      return { sent: mine.filter((s) => s.source !== 'lua').map((s) => s.command), inside: mine.filter((s) => s.source === 'lua').map((s) => s.command) };
    },
    { stop },
  );
}

/** How many times each command appears: `{ hmget: 1, getrange: 20, mget: 1 }`. */
export function tally(commands: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const command of commands) counts[command] = (counts[command] ?? 0) + 1;
  return counts;
}

/**
 * Deadlines far above any loopback round trip, for tests of what the store does rather than of its deadlines: with
 * the defaults (50 ms reads, 250 ms writes) a loaded machine turns a slow call into a miss or a dropped fill, and the
 * test would measure the machine instead of the store.
 */
export const patientDeadlines = { readTimeoutMs: 5000, writeTimeoutMs: 5000, invalidateTimeoutMs: 5000 } as const;

/**
 * Measures how late this process's event loop ran from now on. A deadline test adds `stallMs()` to its bound: a call
 * cannot settle while the loop is stalled (a loaded machine, a GC pause), so that much of a measured duration is the
 * machine's, not the store's; on an idle machine it is a few milliseconds.
 */
export function watchEventLoop(t: TestContext): { stallMs(): number } {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  onCleanup(t, () => histogram.disable());
  return { stallMs: () => histogram.max / 1e6 };
}
