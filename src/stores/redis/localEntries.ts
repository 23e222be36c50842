/**
 * The in-process tier's entries: a bounded LRU (entries and bytes) with a tag
 * index, so that an invalidation drops exactly the entries carrying its tags.
 */
import { LRUCache } from 'lru-cache';

/** One value held in process, with what its freshness depends on. */
export interface LocalEntry {
  readonly value: Uint8Array;
  readonly tags: readonly string[];
  /** The store sequence (seq vector) at which the value was known fresh. */
  readonly seq: string;
  /** The shards the entry depends on (its own and its tags'). */
  readonly shards: readonly number[];
  /** performance.now() after which it is never served: the earlier of its TTL in Redis and the tier's `maxAgeMs`. */
  readonly expiresAt: number;
  readonly bytes: number;
}

export interface LocalEntries {
  readonly size: number;
  readonly bytes: number;
  get(key: string): LocalEntry | undefined;
  set(key: string, entry: Omit<LocalEntry, 'bytes'>): void;
  delete(key: string): void;
  /** Drops every entry carrying one of the tags. */
  dropTags(tags: Iterable<string>): void;
  clear(): void;
}

/** Rough per-entry overhead (map slots, the entry object, the tag index), in bytes. */
const OVERHEAD_BYTES = 96;

export function createLocalEntries(maxEntries: number, maxBytes: number): LocalEntries {
  const byTag = new Map<string, Set<string>>();
  // lru-cache keeps recency in typed-array lists: a hit moves no Map entry (a Map re-inserted on every hit, as this
  // was, leaves holes that evictions from its front then walk). Every removal (eviction, delete, overwrite) passes
  // through dispose, which keeps the tag index exact.
  const entries = new LRUCache<string, LocalEntry>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: (entry) => entry.bytes,
    dispose: (entry, key) => {
      for (const tag of entry.tags) {
        const keys = byTag.get(tag);
        if (keys === undefined) continue;
        keys.delete(key);
        if (keys.size === 0) byTag.delete(tag);
      }
    },
  });

  return {
    get size() {
      return entries.size;
    },
    get bytes() {
      return entries.calculatedSize;
    },
    get: (key) => entries.get(key),
    set(key, partial) {
      // Removed first, so its tags leave the index before the new entry's enter it.
      entries.delete(key);
      let size = OVERHEAD_BYTES + partial.value.byteLength + key.length * 2;
      for (const tag of partial.tags) size += tag.length * 2 + 16;
      if (size > maxBytes) return;
      entries.set(key, { ...partial, bytes: size });
      for (const tag of partial.tags) {
        let keys = byTag.get(tag);
        if (keys === undefined) byTag.set(tag, (keys = new Set<string>()));
        keys.add(key);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    dropTags(tags) {
      for (const tag of tags) {
        const keys = byTag.get(tag);
        if (keys) for (const key of [...keys]) entries.delete(key);
      }
    },
    clear() {
      entries.clear();
      byTag.clear();
    },
  };
}
