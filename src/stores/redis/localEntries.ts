/**
 * The in-process tier's entries: a bounded LRU (entries and bytes) with a tag
 * index, so that an invalidation drops exactly the entries carrying its tags.
 */

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
  // A Map iterates in insertion order: re-inserting on a hit makes its first key the least recently used.
  const entries = new Map<string, LocalEntry>();
  const byTag = new Map<string, Set<string>>();
  let bytes = 0;

  function remove(key: string): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    bytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) byTag.delete(tag);
    }
  }

  return {
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
    get(key) {
      const entry = entries.get(key);
      if (entry !== undefined) {
        entries.delete(key);
        entries.set(key, entry);
      }
      return entry;
    },
    set(key, partial) {
      remove(key);
      let size = OVERHEAD_BYTES + partial.value.byteLength + key.length * 2;
      for (const tag of partial.tags) size += tag.length * 2 + 16;
      if (size > maxBytes) return;
      const entry: LocalEntry = { ...partial, bytes: size };
      entries.set(key, entry);
      bytes += size;
      for (const tag of entry.tags) {
        const keys = byTag.get(tag) ?? new Set<string>();
        keys.add(key);
        byTag.set(tag, keys);
      }
      while (entries.size > maxEntries || bytes > maxBytes) remove(entries.keys().next().value!);
    },
    delete: remove,
    dropTags(tags) {
      for (const tag of tags) {
        const keys = byTag.get(tag);
        if (keys) for (const key of [...keys]) remove(key);
      }
    },
    clear() {
      entries.clear();
      byTag.clear();
      bytes = 0;
    },
  };
}
