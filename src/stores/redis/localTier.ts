/**
 * The Redis store's optional in-process tier (`createRedisStore({ local })`):
 * values read from or written to Redis are kept in process (bounded, LRU) and
 * served without fetching their bytes again.
 *
 * - strict: the gets of a turn (and those made while a round is out) share one round of scripts
 *   (tickBatch.ts): the lookup of the keys not held and, when some are held,
 *   the catch-up (shardRaised.ts): each shard's position and the tags
 *   invalidated there since the position the tier last caught up to, from
 *   the shard's log of recent raises. The tier drops the entries carrying
 *   those tags (everything, when the log cannot tell or the epoch changed)
 *   and serves the rest: every entry it holds is known fresh at its caught-up
 *   position or later (a value is kept only when read at or after it). A held
 *   entry dropped by the catch-up is read again (a second round, those keys
 *   only). Zero stale reads after an acknowledged invalidation, as without
 *   the tier.
 * - fast: a held entry is served with no round trip; what no get holds is
 *   read in rounds shared by the gets of a turn, as in strict mode (a
 *   request's misses wait at most for the round in flight). Invalidations
 *   reach the other instances by pub/sub (invalidationBroadcast.ts); lost ones are
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
import { encodeSeqVector, parseSeqVector, type ShardSeq } from './seqVector.js';
import type { ShardRaised } from './shardRaised.js';
import { normalizeTag } from './shardCalls.js';
import type { LookupDetails } from './shardLookup.js';
import { createTickBatch, type TickBatchDeadline } from './tickBatch.js';

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
  /** Strict mode's catch-up round (shardRaised.ts), under the store's breaker and read deadline. */
  readonly raisedSince: (since: readonly (ShardSeq | undefined)[]) => Promise<ShardRaised[]>;
  /** The store's read deadline, which every get sharing a round keeps to from its own call (tickBatch.ts). */
  readonly sharedRoundDeadline: TickBatchDeadline;
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
  // Strict: per shard, the position every held entry depending on it is known fresh at (undefined: none is held).
  let caughtUp: (ShardSeq | undefined)[] = new Array<undefined>(shardCount).fill(undefined);

  function flush(): void {
    generation++;
    flushes++;
    entries.clear();
    caughtUp = caughtUp.map(() => undefined);
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

  function usable(entry: LocalEntry | undefined, now: number): entry is LocalEntry {
    return entry !== undefined && now < entry.expiresAt;
  }

  /**
   * Keeps a value known fresh at `seq`. `sentAt + ttlMs` is when it expires in Redis at the latest (Redis started or
   * measured its TTL after the call was sent), so the tier never serves it longer than Redis would.
   */
  function keep(key: string, value: Uint8Array, tags: readonly string[], seq: StoreSeq, since: number, sentAt: number, ttlMs: number | undefined): void {
    if (generation !== since || typeof seq !== 'string' || ttlMs === undefined || !Number.isFinite(ttlMs) || (ttlMs <= 0 && ttlMs !== -1)) return;
    const shards = shardsOf(key, tags);
    if (!fast && !atOrAfterCaughtUp(seq, shards)) return;
    const now = performance.now();
    const expiresAt = Math.min(now + o.maxAgeMs, ttlMs === -1 ? Number.POSITIVE_INFINITY : sentAt + ttlMs);
    if (expiresAt > now) entries.set(key, { value, tags, seq, shards, expiresAt });
  }

  /**
   * Strict: a value fresh at `seq` may be held only if the catch-ups still to come cover every raise after `seq`,
   * i.e. `seq` is at or after the caught-up position of each shard it depends on. A shard none depends on yet
   * adopts `seq`'s position.
   */
  function atOrAfterCaughtUp(seq: string, shards: readonly number[]): boolean {
    const vector = parseSeqVector(seq, shardCount);
    if (vector === undefined) return false;
    for (const i of shards) {
      const at = caughtUp[i];
      const then = vector[i]!;
      if (then.epoch === '' || (at !== undefined && (at.epoch !== then.epoch || then.n < at.n))) return false;
    }
    for (const i of shards) caughtUp[i] ??= vector[i]!;
    return true;
  }

  /**
   * Strict: applies a catch-up round sent with the positions `since`: drops what was invalidated after them (all, when
   * the log could not tell or an epoch changed) and moves each shard's caught-up position to the one read. Answers,
   * per shard, whether held entries depending on it are now known fresh at a position read by this round or later.
   * A shard whose position was reset below `since` meanwhile (a flush, then a value kept at an older position) is
   * not moved: the round says nothing about the raises in between.
   */
  function catchUp(raised: readonly ShardRaised[], since: readonly (ShardSeq | undefined)[]): boolean[] {
    const unsure = raised.some((r, i) => {
      const at = caughtUp[i];
      return at !== undefined && (r.tags === undefined || r.seq.epoch !== at.epoch);
    });
    if (unsure) {
      flush();
      return raised.map(() => false);
    }
    return raised.map((r, i) => {
      if (r.tags !== undefined && r.tags.length > 0) entries.dropTags(r.tags);
      const at = caughtUp[i];
      const from = since[i];
      if (at === undefined || from === undefined || from.epoch !== at.epoch || from.n > at.n) return false;
      if (r.seq.n > at.n) caughtUp[i] = r.seq;
      return true;
    });
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
    const held: number[] = [];
    const rest: number[] = [];
    keys.forEach((key, i) => (usable(entries.get(key), now) ? held : rest).push(i));
    if (held.length === 0) return readAndKeep(keys);
    // One round: the catch-up and the lookup of the keys not held, sent together after every get they answer began.
    const since = caughtUp.slice();
    const [raised, first] = await Promise.all([ctx.raisedSince(since), rest.length > 0 ? readAndKeep(rest.map((i) => keys[i]!)) : undefined]);
    const fresh = catchUp(raised, since);
    const values: StoreRead[] = new Array(keys.length);
    rest.forEach((i, j) => (values[i] = first!.values[j]!));
    const dropped: number[] = [];
    const served = performance.now();
    for (const i of held) {
      // Still held after the catch-up: fresh at the position just read (or later), which began after this get did.
      const entry = entries.get(keys[i]!);
      if (usable(entry, served) && entry.shards.every((s) => fresh[s])) {
        values[i] = entry.value;
        hits++;
      } else dropped.push(i);
    }
    const seq = first?.seq ?? encodeSeqVector(raised.map((r) => r.seq));
    if (dropped.length === 0) return { values, seq };
    // Their tags moved: read them again (Redis decides). The later sequence fences fills.
    const second = await readAndKeep(dropped.map((i) => keys[i]!));
    dropped.forEach((i, j) => (values[i] = second.values[j]!));
    return { values, seq: second.seq };
  }

  /** Fast mode's get; its reads from Redis (misses; every get while bypassed) are shared by the gets of a turn, as strict mode's rounds. */
  function createGetFast(): (keys: readonly string[]) => Promise<StoreLookup> {
    const readShared = createTickBatch(readAndKeep, ctx.sharedRoundDeadline);
    const readBypassing = createTickBatch((keys) => read(keys).then((lookup) => (observe(lookup), lookup)), ctx.sharedRoundDeadline);
    return async (keys) => {
      if (!broadcast!.healthy) return readBypassing(keys);
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
      const lookup = await readShared(missing.map((i) => keys[i]!));
      missing.forEach((i, j) => (values[i] = lookup.values[j]!));
      return { values, seq: lookup.seq };
    };
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
    get: fast ? createGetFast() : createTickBatch(getStrict, ctx.sharedRoundDeadline),

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
