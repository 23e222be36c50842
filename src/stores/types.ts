/**
 * The store contract: always async, batch first, bytes in and bytes out.
 * The codec lives outside the store; the *freshness* rule lives inside it,
 * because only the store can check an entry against tag versions atomically
 * (in one Lua script on Redis, in one synchronous step in memory).
 *
 * Terminology (shared with the engine):
 * - sequence: a counter that every invalidation raises. A lookup returns the
 *   current sequence (a {@link StoreSeq}); a fill records the sequence its
 *   lookup saw (the "fetch sequence") before the resolver ran.
 * - tag version: the sequence at which a tag was last invalidated.
 * - fresh: an entry whose every tag (ancestors included) has a version not
 *   greater than the entry's fetch sequence, and which is not older than the
 *   store's floor. Everything else is stale and never returned.
 */

import type { CounterBatch } from '../metrics/counterBatch.js';

/** Why a key produced no value. */
export type StoreMiss =
  /** No entry under the key (never written, expired, or evicted). */
  | 'absent'
  /** An entry exists but a tag it depends on was invalidated after its fetch began. */
  | 'stale';

/** The outcome of a lookup for one key: the stored bytes, or why there are none. */
export type StoreRead = Uint8Array | StoreMiss;

/**
 * A store's invalidation sequence, opaque to the engine: a number for the
 * memory store, possibly a composite (a string) for a sharded store. The
 * engine only hands it back in `StoreEntry.fetchSeq` and compares two of them
 * with `===` (equal means "no invalidation in between").
 */
export type StoreSeq = number | string;

/** The answer to one batched lookup. */
export interface StoreLookup {
  /** One element per key, in the order of the keys asked for. */
  readonly values: StoreRead[];
  /**
   * The store's invalidation sequence, read atomically with `values`. A fill
   * of one of these keys passes it back as its `fetchSeq`.
   */
  readonly seq: StoreSeq;
}

/** One entry to write. */
export interface StoreEntry {
  readonly key: string;
  readonly value: Uint8Array;
  /** The entry's tags with all their ancestors (see `expandTags`). */
  readonly tags: readonly string[];
  /** Time to live in milliseconds; positive. */
  readonly ttlMs: number;
  /** The `seq` returned by the lookup that preceded the fetch of this value. */
  readonly fetchSeq: StoreSeq;
}

/** What `close()` could not do. */
export interface StoreCloseResult {
  /** Tags whose invalidation was never acknowledged: other processes may serve entries carrying them until they expire. */
  readonly undelivered: readonly string[];
}

/** What `createCache` hands a store through {@link Store.attach}. */
export interface StoreHost {
  /** The cache's logger (`createCache({ logger })`, default `console`). */
  readonly logger: { warn(message: string): void };
  /**
   * The cache's failure channel for failures the store absorbs instead of rejecting (a fill it could not write,
   * invalidations still undelivered at `close()`): counted in `stats().errors[code]` and warned about once per
   * operation and code through the cache's logger. `operation` names the store and what it was doing
   * (`'Redis store set'`). Never throws, `strict` included: what a store absorbs never reached a response.
   */
  report(error: unknown, operation: string): void;
}

/** What a store does. Implementations: `createMemoryStore`, `createRedisStore` (in `cachetag/redis`). */
export interface Store {
  /** Reads many keys at once. Stale entries are reported as `'stale'`, never returned. */
  get(keys: readonly string[]): Promise<StoreLookup>;
  /**
   * Writes many entries at once. An entry whose tags were invalidated after
   * its `fetchSeq` is dropped rather than written (a late fill never lands).
   * Resolves to the number of entries actually written.
   */
  set(entries: readonly StoreEntry[]): Promise<number>;
  /**
   * Invalidates tags (and everything below them): raises the sequence and
   * records it as each tag's version. Resolves once the invalidation is
   * acknowledged (recorded where the store shares state), to the new
   * sequence. A shared store whose backend does not acknowledge in time
   * rejects with `INVALIDATION_UNACKNOWLEDGED` after keeping the tags locally
   * for retry (entries carrying them read as stale in this process until the
   * retry succeeds).
   */
  invalidate(tags: readonly string[]): Promise<StoreSeq>;
  /**
   * Delivers what it can of pending invalidations within its own deadline, then releases connections and timers. The
   * store must not be used afterwards. Resolves (never rejects) to what it could not deliver, when it tracks that
   * (a store that resolves to nothing delivered everything).
   */
  close(): Promise<void | StoreCloseResult>;
  /**
   * Called once by `createCache` with the cache's logger, so that the store's own warnings go where the cache's go
   * (a store given its own error handler keeps it). Optional.
   */
  attach?(host: StoreHost): void;
  /** Tags whose invalidation the store has not delivered yet and retries (a shared store); read by `cache.stats()`. Optional. */
  readonly pendingInvalidations?: number;
  /**
   * The compression threshold this store prefers when the cache builds its default codec (codec options given to
   * `createCache` win). The memory store says `Infinity`: its bytes never leave the process, its byte bound already
   * holds memory, and compressed entries would cost a decompression on every hit. Absent: the codec's default.
   */
  readonly preferredCompressAboveBytes?: number;
  /**
   * Optional cross-process step on a miss (the Redis store's `leases`): called by the engine inside its in-process
   * single flight, before the resolver, with the lookup's `seq`. Resolves to the bytes another process filled
   * meanwhile (served instead of resolving), or to undefined: resolve (this process holds the lease, waited long
   * enough, or the store failed). Never rejects. A lease taken at another `seq` is never waited on.
   */
  acquire?(key: string, seq: StoreSeq): Promise<Uint8Array | undefined>;
  /**
   * Optional: records what a process's hit, miss and bypass counters moved by (about once a second, from
   * `createCache({ liveCounters })`), where every process sharing the store adds up (the Redis store: per-minute
   * hashes under the prefix, read by `cachetag stats`). A rejection drops nothing: the next batch carries it.
   */
  recordCounters?(batch: CounterBatch): Promise<void>;
}
