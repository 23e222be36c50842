/**
 * What an operator sees of one stored entry (`cachetag inspect`, the admin handler), whatever the store: the Redis
 * inspector and the memory store both describe their entries this way.
 */

/** One entry, as an operator sees it. */
export interface EntryInfo {
  /** The cache key (`Product.reviews:<hash>`, `op:<hash>`). */
  readonly key: string;
  /** `Type.field`, or `op` for operation responses. */
  readonly coordinate: string;
  /** The Redis key holding it (Redis store only). */
  readonly redisKey?: string;
  /** Its tags with their ancestors, as stored. */
  readonly tags: readonly string[];
  /** Milliseconds since it was filled; absent for entries written before the fill time was stored. */
  readonly ageMs?: number;
  /** Milliseconds it still lives; -1 without expiry. */
  readonly ttlMs: number;
  /** Bytes of the stored frame (metadata and value). */
  readonly bytes: number;
  /** Whether a lookup would serve it now. */
  readonly fresh: boolean;
  /** Why it would not: the first tag invalidated after its fill, or a shard whose sequence was lost. */
  readonly staleBecause?: string;
}

/** The coordinate of a cache key: what precedes its last `:`. */
export function coordinateOfKey(key: string): string {
  const separator = key.lastIndexOf(':');
  return separator > 0 ? key.slice(0, separator) : key;
}
