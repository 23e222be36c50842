/**
 * Where everything lives in Redis. Every key carries the prefix and the store
 * format version inside a hash tag, `{<prefix>:v2:<shard>:<salt>}`, so that a
 * shard's sequence, its tag records and its entries share one cluster slot
 * and one Lua script can read them together:
 *
 *   {P:v2:i:j}:seq        hash  e = epoch (16 hex), n = counter
 *   {P:v2:i:j}:t:<tag>    string  "<epoch><version>:<expiresAtMs>", with a TTL
 *   {P:v2:i:j}:e:<key>    string  entry frame (see entryFrame.ts), with a TTL
 *
 * A tag record's `expiresAtMs` (Redis's clock) repeats its TTL so that the
 * MGET that reads versions also tells a fill which records need a longer TTL;
 * it never decides freshness. Keys of an older format version live under
 * another hash tag and are never read; they expire with their TTLs.
 *
 * The salt `j` is the first integer that puts shard `i` in the `i`-th of
 * `shardCount` equal slot ranges, so shards spread evenly over primaries that
 * own contiguous slot ranges (the layout `redis-cli --cluster create` makes).
 */

/**
 * The store format version, part of every key: bump it when the layout, a
 * record or the frame changes. 2: tag records carry their expiry.
 */
export const STORE_FORMAT_VERSION = 2;

/** Number of hash slots in a Redis Cluster. */
export const CLUSTER_SLOTS = 16384;

/** One shard: a sequence counter plus the tag records and entries that hash to it. */
export interface ShardLayout {
  readonly index: number;
  /** The hash tag, braces included: `{cachetag:v2:3:41}`. */
  readonly hashTag: string;
  readonly slot: number;
  readonly seqKey: string;
  /** The shard's log of recent invalidations (invalidateScript.ts), read by fills of tags without a record. */
  readonly logKey: string;
  readonly tagKeyPrefix: string;
  readonly entryKeyPrefix: string;
}

/** Builds the shard layouts of a prefix. Deterministic: every process computes the same keys. */
export function shardLayouts(prefix: string, shardCount: number): ShardLayout[] {
  const shards: ShardLayout[] = [];
  for (let index = 0; index < shardCount; index++) {
    const low = Math.floor((index * CLUSTER_SLOTS) / shardCount);
    const high = Math.floor(((index + 1) * CLUSTER_SLOTS) / shardCount);
    for (let salt = 0; ; salt++) {
      const inner = `${prefix}:v${STORE_FORMAT_VERSION}:${index}:${salt}`;
      const slot = keySlot(inner);
      if (slot < low || slot >= high) continue;
      const hashTag = `{${inner}}`;
      shards.push({ index, hashTag, slot, seqKey: `${hashTag}:seq`, logKey: `${hashTag}:log`, tagKeyPrefix: `${hashTag}:t:`, entryKeyPrefix: `${hashTag}:e:` });
      break;
    }
  }
  return shards;
}

/** The shard of a tag or an entry key: FNV-1a over UTF-16 code units, modulo the shard count. */
export function shardOf(value: string, shardCount: number): number {
  if (shardCount === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shardCount;
}

/** The cluster slot of a key (CRC16/XMODEM of its hash tag, or of the whole key), as Redis computes it. */
export function keySlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  let start = 0;
  let end = bytes.length;
  const open = bytes.indexOf(0x7b);
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) {
      start = open + 1;
      end = close;
    }
  }
  return crc16(bytes, start, end) % CLUSTER_SLOTS;
}

function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i]! << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
