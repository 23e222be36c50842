/**
 * The Redis store's optional in-process tier (`createRedisStore({ local })`):
 * values read from or written to Redis are kept in process (bounded, LRU) and
 * served without fetching their bytes again.
 *
 * - strict: a `get` still makes its one round of scripts (the lookup of the
 *   keys not held, or a bare sequence read per shard when all are held); an
 *   entry held is served only when every shard it depends on is at the
 *   position (epoch and counter) the entry was known fresh at, i.e. nothing
 *   at all was invalidated there since. Otherwise it is read again from Redis
 *   (a second round, for those keys only). Zero stale reads after an
 *   acknowledged invalidation, as without the tier.
 * - fast: a held entry is served with no round trip. Invalidations reach the
 *   other instances by pub/sub (invalidationBroadcast.ts); lost ones are
 *   noticed as gaps in the shards' counters on replies and idle polls
 *   (sequenceGaps.ts). Staleness is bounded, not zero.
 * In both modes an entry is never served past its TTL in Redis nor past `maxAgeMs`, this process's own
 * invalidations drop its entries at once, and a value read by a call that an
 * invalidation overtook is not kept (the generation check).
 */
import type { Cluster, Redis } from 'ioredis';
import type { StoreLookup, StoreRead, StoreSeq } from '../types.js';
import { subscribeToInvalidations, type InvalidationBroadcast } from './invalidationBroadcast.js';
import type { HybridLogicalClock } from './hlc.js';
import { createLocalEntries, type LocalEntry } from './localEntries.js';
import type { ResolvedLocalTierOptions } from './localTierOptions.js';
import { shardOf } from './layout.js';
import type { RedisStore } from './redisStore.js';
import { createSequenceGaps } from './sequenceGaps.js';
import { parseSeqVector, type ShardSeq } from './seqVector.js';
import { normalizeTag } from './shardCalls.js';
import type { LookupDetails } from './shardLookup.js';
import { createTickBatch } from './tickBatch.js';

/** Strict mode: how long after finding held entries moved a `get` reads every key in one round, in milliseconds. */
const READ_ALL_AFTER_MOVE_MS = 50;

/** The Redis store's `get`, which also reports each value's tags and TTL left (shardLookup.ts `LookupDetails`). */
export type ReadWithTags = (keys: readonly string[], details?: LookupDetails) => Promise<StoreLookup>;

/** What the tier reports (tests, metrics). */
export interface LocalTierStats {
  readonly mode: 'strict' | 'fast';
  readonly entries: number;
  readonly bytes: number;
  /** Values served from process memory. */
  readonly hits: number;
  /** Times the whole tier was flushed (gap not filled, subscriber lost, epoch change). */
  readonly flushes: number;
  /** Fast mode: true while the subscriber is down or silent (the tier is bypassed). */
  readonly bypassed: boolean;
}

export interface LocalTierContext {
  readonly client: Redis | Cluster;
  readonly prefix: string;
  readonly shardCount: number;
  /** The store's clock, which its invalidate script publishes with. */
  readonly hlc: HybridLogicalClock;
}

export function withLocalTier(store: RedisStore, o: ResolvedLocalTierOptions, ctx: LocalTierContext): RedisStore & { readonly localTier: LocalTierStats } {
  const { shardCount } = ctx;
  const read = store.get as ReadWithTags;
  const entries = createLocalEntries(o.maxEntries, o.maxBytes);
  const fast = o.mode === 'fast';
  // Raised by every event that may make a value read before it stale here; a read that straddles one keeps nothing.
  let generation = 0;
  let hits = 0;
  let flushes = 0;
  let lastSeq: string | undefined;
  let lastReplyAt = 0;
  let readAllUntil = 0;

  function flush(): void {
    generation++;
    flushes++;
    entries.clear();
  }

  const gaps = fast ? createSequenceGaps(shardCount, o.gapMs, flush) : undefined;
  let broadcast: InvalidationBroadcast | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (fast) {
    // Every store publishes its acknowledged invalidations (this one's too, retries included: they reach the tier only here).
    broadcast = subscribeToInvalidations(ctx.client, ctx.prefix, o.pingMs, ctx.hlc, {
      message(m) {
        generation++;
        entries.dropTags(m.tags);
        if (m.reset === true) flush();
        for (const [shard, epoch, n] of m.shards) gaps!.applied(shard, epoch, n);
      },
      health() {
        // Lost (messages may be missed) or back (messages were missed): either way nothing held can be trusted.
        flush();
        gaps!.reset();
      },
    });
    timer = setInterval(
      () => {
        gaps!.expire(performance.now());
        if (performance.now() - lastReplyAt >= o.pollMs && broadcast!.healthy) read([]).then(observe, () => {});
      },
      Math.max(1, Math.min(o.gapMs, o.pollMs) / 2),
    );
    timer.unref();
  }

  function observe(lookup: StoreLookup): void {
    lastReplyAt = performance.now();
    if (typeof lookup.seq !== 'string') return;
    lastSeq = lookup.seq;
    const vector = parseSeqVector(lookup.seq, shardCount);
    if (vector === undefined || gaps === undefined) return;
    vector.forEach((s, i) => {
      if (s.epoch !== '') gaps.observed(i, s.epoch, s.n);
    });
  }

  function shardsOf(key: string, tags: readonly string[]): number[] {
    const set = new Set([shardOf(key, shardCount)]);
    for (const tag of tags) set.add(shardOf(tag, shardCount));
    return [...set];
  }

  /** Strict: the entry is fresh when every shard it depends on is where it was. */
  function unmoved(entry: LocalEntry, seq: StoreSeq, vector: readonly ShardSeq[] | undefined): boolean {
    if (entry.seq === seq) return true;
    const then = parseSeqVector(entry.seq, shardCount);
    if (then === undefined || vector === undefined) return false;
    return entry.shards.every((i) => then[i]!.epoch !== '' && then[i]!.epoch === vector[i]!.epoch && then[i]!.n === vector[i]!.n);
  }

  function usable(entry: LocalEntry | undefined, now: number): entry is LocalEntry {
    return entry !== undefined && now < entry.expiresAt;
  }

  /**
   * Keeps a value known fresh at `seq`. `sentAt + ttlMs` is when it expires in Redis at the latest (Redis started or
   * measured its TTL after the call was sent), so the tier never serves it longer than Redis would.
   */
  function keep(key: string, value: Uint8Array, tags: readonly string[], seq: StoreSeq, since: number, sentAt: number, ttlMs: number | undefined): void {
    if (generation !== since || typeof seq !== 'string' || ttlMs === undefined || !Number.isFinite(ttlMs) || (ttlMs <= 0 && ttlMs !== -1)) return;
    const now = performance.now();
    const expiresAt = Math.min(now + o.maxAgeMs, ttlMs === -1 ? Number.POSITIVE_INFINITY : sentAt + ttlMs);
    if (expiresAt > now) entries.set(key, { value, tags, seq, shards: shardsOf(key, tags), expiresAt });
  }

  /** Reads keys from Redis and keeps what it returned (unless an invalidation overtook the read). */
  async function readAndKeep(keys: readonly string[]): Promise<StoreLookup> {
    const since = generation;
    const sentAt = performance.now();
    const details: LookupDetails = { tags: [], ttlMs: [] };
    const lookup = await read(keys, details);
    observe(lookup);
    lookup.values.forEach((v, i) => {
      const tags = details.tags[i];
      if (v instanceof Uint8Array && tags !== undefined) keep(keys[i]!, v, tags, lookup.seq, since, sentAt, details.ttlMs[i]);
    });
    return lookup;
  }

  async function getStrict(keys: readonly string[]): Promise<StoreLookup> {
    const now = performance.now();
    // Right after held entries were found moved (invalidations are frequent), a check would mostly cost a second
    // round: read everything in one round for a while instead (still kept, and checked by Redis).
    if (now < readAllUntil) return readAndKeep(keys);
    const held = new Map<number, LocalEntry>();
    const rest: number[] = [];
    keys.forEach((key, i) => {
      const entry = entries.get(key);
      if (usable(entry, now)) held.set(i, entry);
      else rest.push(i);
    });
    if (held.size === 0) return readAndKeep(keys);
    // One round: the keys not held (their values), or only the shards' positions when all are held.
    const first = await readAndKeep(rest.map((i) => keys[i]!));
    const values: StoreRead[] = new Array(keys.length);
    rest.forEach((i, j) => (values[i] = first.values[j]!));
    const vector = parseSeqVector(first.seq, shardCount);
    const moved: number[] = [];
    for (const [i, entry] of held) {
      if (unmoved(entry, first.seq, vector)) {
        values[i] = entry.value;
        hits++;
      } else moved.push(i);
    }
    if (moved.length === 0) return { values, seq: first.seq };
    readAllUntil = performance.now() + READ_ALL_AFTER_MOVE_MS;
    // Something those entries depend on moved: read them again (their tags decide). The later sequence fences fills.
    const second = await readAndKeep(moved.map((i) => keys[i]!));
    moved.forEach((i, j) => (values[i] = second.values[j]!));
    return { values, seq: second.seq };
  }

  async function getFast(keys: readonly string[]): Promise<StoreLookup> {
    if (!broadcast!.healthy) return read(keys).then((lookup) => (observe(lookup), lookup));
    const now = performance.now();
    const values: StoreRead[] = new Array(keys.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const entry = entries.get(key);
      if (usable(entry, now) && !entry.shards.some((s) => gaps!.isOpen(s))) {
        values[i] = entry.value;
        hits++;
      } else missing.push(i);
    });
    // Fills fenced by the last sequence seen: an invalidation since then makes Redis drop them (conservative).
    if (missing.length === 0 && lastSeq !== undefined) return { values, seq: lastSeq };
    const lookup = await readAndKeep(missing.map((i) => keys[i]!));
    missing.forEach((i, j) => (values[i] = lookup.values[j]!));
    return { values, seq: lookup.seq };
  }

  const tier: RedisStore & { readonly localTier: LocalTierStats } = {
    get pendingInvalidations() {
      return store.pendingInvalidations;
    },
    get breakerState() {
      return store.breakerState;
    },
    get shardCount() {
      return store.shardCount;
    },
    get localTier(): LocalTierStats {
      return { mode: o.mode, entries: entries.size, bytes: entries.bytes, hits, flushes, bypassed: fast && !broadcast!.healthy };
    },
    whenConnected: (timeoutMs) => store.whenConnected(timeoutMs),
    attach: (host) => store.attach?.(host),
    ...(store.acquire ? { acquire: store.acquire } : {}),
    ...(store.recordCounters ? { recordCounters: store.recordCounters } : {}),
    get: fast ? getFast : createTickBatch(getStrict),

    async set(list) {
      const since = generation;
      const sentAt = performance.now();
      const written = await store.set(list);
      // Only a batch written whole is known fresh entry by entry (set reports a count).
      if (written === list.length)
        for (const e of list) keep(e.key, e.value, e.tags.map(normalizeTag), e.fetchSeq, since, sentAt, Math.max(0, Math.floor(e.ttlMs)));
      return written;
    },

    async invalidate(tags) {
      const list = [...new Set(tags.map(normalizeTag))];
      generation++;
      entries.dropTags(list);
      const raised = new Set(list.map((t) => shardOf(t, shardCount)));
      for (const i of raised) gaps?.inFlight(i, 1);
      try {
        const seq = await store.invalidate(list);
        // Redis published it (the invalidate script does); this process need not wait for its own message.
        const vector = gaps && list.length > 0 ? parseSeqVector(seq, shardCount) : undefined;
        if (vector !== undefined) for (const i of raised) gaps!.applied(i, vector[i]!.epoch, vector[i]!.n);
        return seq;
      } finally {
        for (const i of raised) gaps?.inFlight(i, -1);
        // A read that started before the invalidation and lands after the drop above must not be kept either.
        generation++;
        entries.dropTags(list);
      }
    },

    async close() {
      if (timer) clearInterval(timer);
      await broadcast?.close();
      entries.clear();
      return store.close();
    },
  };
  return tier;
}
