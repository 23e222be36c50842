/**
 * The embedded store: bounded by entries and by bytes, least recently used
 * first out, built on lru-cache. Lookups and fills check freshness in one
 * synchronous step, which makes them atomic against invalidations.
 *
 * Tag versions live in a second bounded map, oldest write out first. Forgetting a tag's version would
 * make entries that depend on it look fresh again, so when a version is
 * evicted the store raises its *floor* to it: every entry fetched before that
 * version is then stale. Eviction costs hit ratio, never correctness.
 */
import { LRUCache } from 'lru-cache';
import { invalidOption } from '../errors.js';
import type { Store, StoreEntry, StoreLookup, StoreRead } from './types.js';
import { coordinateOfKey, type EntryInfo } from './entryInfo.js';

/** Default bound on the number of entries. */
// Field-level caching keeps several entries per response (one per cached field, plus the operation), so the
// entry bound is generous and the byte bound is the real guard.
export const defaultMaxEntries = 100_000;
/** Default bound on the bytes held by entries (64 MiB). */
export const defaultMaxBytes = 64 * 1024 * 1024;
/** Default bound on the number of remembered tag versions. */
export const defaultMaxTagVersions = 100_000;

/** A monotonic clock in milliseconds; injectable so TTL tests advance time instead of sleeping. */
export interface Clock {
  now(): number;
}

export interface MemoryStoreOptions {
  /** Most entries held. Default {@link defaultMaxEntries}. */
  maxEntries?: number;
  /** Most bytes held by entries (values, keys and tag lists). Default {@link defaultMaxBytes}. */
  maxBytes?: number;
  /** Most tag versions remembered; evicting one raises the floor. Default {@link defaultMaxTagVersions}. */
  maxTagVersions?: number;
  /** The clock behind TTLs, in milliseconds; any starting value works, 0 included. Default `performance`. */
  clock?: Clock;
}

interface MemoryEntry {
  readonly value: Uint8Array;
  readonly tags: readonly string[];
  readonly fetchSeq: number;
  /** The store's clock at the fill (for `inspect`'s age). */
  readonly filledAt: number;
  /**
   * The store's `seq` when the entry was last found fresh. Every change that can make an entry stale (an invalidation,
   * the floor rising as versions are evicted, which only happens while one is written) raises `seq`, so until it moves
   * the entry is fresh without one version lookup per tag: a hot catalogue page read between two invalidations of
   * other products is checked once, not on every hit.
   */
  checkedSeq: number;
}

/** The in-memory store with its introspection helpers (used by tests and the CLI). */
export interface MemoryStore extends Store {
  /** Entries currently held (stale ones included until they are read or evicted). */
  readonly size: number;
  /** Bytes currently held. */
  readonly bytes: number;
  /** The current invalidation sequence. */
  readonly seq: number;
  /**
   * The entries held (of one coordinate, or the one under a key), as operators see them: tags, age, TTL left, size,
   * freshness. Walks every entry: for humans (the admin handler), never for a request path. Touches no recency.
   */
  inspect(filter?: { readonly coordinate?: string; readonly key?: string }): EntryInfo[];
  /** The version of a tag (the sequence of its last invalidation), or undefined when none is remembered. */
  tagVersion(tag: string): number | undefined;
}

/** Creates the embedded, bounded in-memory store. */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = positiveInteger('maxEntries', options.maxEntries ?? defaultMaxEntries);
  const maxBytes = positiveInteger('maxBytes', options.maxBytes ?? defaultMaxBytes);
  const maxTagVersions = positiveInteger('maxTagVersions', options.maxTagVersions ?? defaultMaxTagVersions);
  if (options.clock !== undefined && typeof options.clock?.now !== 'function') {
    throw invalidOption('createMemoryStore', 'clock', 'an object with a now() method returning milliseconds', options.clock);
  }

  let seq = 0;
  let floor = 0;
  const entries = new LRUCache<string, MemoryEntry>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: (entry, key) => entry.value.byteLength + key.length * 2 + entry.tags.reduce((n, t) => n + t.length * 2 + 16, 64),
    // ttlResolution 0: read the clock on every check, so an injected clock is obeyed at once. lru-cache reads a
    // start time of 0 as "no TTL", so the injected clock is shifted to never hand it 0 (a test clock starts there).
    ...(options.clock ? { perf: shifted(options.clock), ttlResolution: 0 } : {}),
  });
  const tagVersions = new LRUCache<string, number>({
    max: maxTagVersions,
    dispose: (version, _tag, reason) => {
      if (reason === 'evict' && version > floor) floor = version;
    },
  });

  const clock: Clock = options.clock ?? performance;

  function isFresh(entry: Pick<MemoryEntry, 'tags' | 'fetchSeq'>): boolean {
    return staleBecause(entry) === undefined;
  }

  function staleBecause(entry: Pick<MemoryEntry, 'tags' | 'fetchSeq'>): string | undefined {
    // Nothing was invalidated since the fill's lookup: every tag version, and the floor, are at most seq. A read-mostly
    // cache answers its hits here without one version lookup per tag (a catalogue page holds dozens of tags).
    if (entry.fetchSeq >= seq) return undefined;
    if (entry.fetchSeq < floor) return 'filled before a forgotten tag version (the store raised its floor)';
    for (const tag of entry.tags) {
      // peek, not get: reading a version must not refresh it. The versions then leave in the order they were
      // written, oldest first, which keeps the floor as low as it can be (and a read costs no list update).
      const version = tagVersions.peek(tag);
      if (version !== undefined && version > entry.fetchSeq) return `${tag} was invalidated after the fill`;
    }
    return undefined;
  }

  return {
    // Frames stay uncompressed in memory: see Store.preferredCompressAboveBytes.
    preferredCompressAboveBytes: Number.POSITIVE_INFINITY,
    get size() {
      return entries.size;
    },
    get bytes() {
      return entries.calculatedSize;
    },
    get seq() {
      return seq;
    },
    inspect(filter = {}) {
      const found: EntryInfo[] = [];
      const keys = filter.key !== undefined ? [filter.key] : [...entries.keys()];
      for (const key of keys) {
        if (filter.coordinate !== undefined && coordinateOfKey(key) !== filter.coordinate) continue;
        const entry = entries.peek(key);
        if (entry === undefined) continue;
        const remaining = entries.getRemainingTTL(key);
        const why = staleBecause(entry);
        found.push({
          key,
          coordinate: coordinateOfKey(key),
          tags: entry.tags,
          ageMs: Math.max(0, clock.now() - entry.filledAt),
          ttlMs: Number.isFinite(remaining) ? Math.max(0, remaining) : -1,
          bytes: entry.value.byteLength,
          fresh: why === undefined,
          ...(why ? { staleBecause: why } : {}),
        });
      }
      return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    tagVersion: (tag) => tagVersions.peek(tag),
    async get(keys): Promise<StoreLookup> {
      const values: StoreRead[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const entry = entries.get(key);
        if (entry === undefined) {
          values[i] = 'absent';
        } else if (entry.checkedSeq === seq || isFresh(entry)) {
          entry.checkedSeq = seq;
          values[i] = entry.value;
        } else {
          entries.delete(key);
          values[i] = 'stale';
        }
      }
      return { values, seq };
    },
    async set(batch: readonly StoreEntry[]) {
      let written = 0;
      for (const entry of batch) {
        const stored: MemoryEntry = { value: entry.value, tags: entry.tags, fetchSeq: Number(entry.fetchSeq), filledAt: clock.now(), checkedSeq: -1 };
        // A fill whose tags were invalidated while its resolver ran must not land.
        if (!isFresh(stored) || !(entry.ttlMs > 0)) continue;
        entries.set(entry.key, stored, { ttl: Math.ceil(entry.ttlMs) });
        written++;
      }
      return written;
    },
    async invalidate(tags) {
      seq++;
      for (const tag of tags) tagVersions.set(tag, seq);
      return seq;
    },
    async close() {
      entries.clear();
      tagVersions.clear();
    },
  };
}

/** Added to an injected clock's time: lru-cache must never see 0 as an entry's start time. */
const clockShiftMs = 2 ** 32;

function shifted(clock: Clock): Clock {
  return { now: () => clock.now() + clockShiftMs };
}

function positiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw invalidOption('createMemoryStore', option, 'a positive integer', value);
  }
  return value;
}
