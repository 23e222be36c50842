/**
 * An entry as stored under its key: a 10-byte header, the metadata, then the
 * value bytes untouched.
 *
 *   "E1" + metadata length (8 decimal digits) + metadata + value
 *
 * The metadata says what the entry's freshness depends on, grouped by the
 * shard that holds each tag's record, and is read by the Lua scripts (the
 * local group) and by the client (the other groups). It is plain text with
 * length-prefixed tags, so any tag bytes survive and Lua parses it with
 * `string.find` alone:
 *
 *   <shardCount>;<groupCount>;
 *   then per group, shards ascending:  <shard>;<epoch>;<fetch>;<tagCount>;
 *   then per tag:                      <byteLength>;<tag bytes>
 *
 * `epoch` and `fetch` are the shard's position in the fetch sequence of the
 * fill. The shard holding the entry always has a group, tags or not. An
 * entry is fresh while, for every group, the shard is still in that epoch,
 * its counter is not below `fetch`, and no tag of the group has a version
 * above `fetch`.
 */
import { isEpoch } from './seqVector.js';

export const FRAME_MAGIC = 'E1';
export const FRAME_HEADER_BYTES = 10;
const MAX_META_BYTES = 99_999_999;

/** The tags of one entry that live in one shard, with the fill's position in that shard. */
export interface TagGroup {
  readonly shard: number;
  readonly epoch: string;
  readonly fetch: number;
  readonly tags: readonly string[];
}

/** Metadata read back from Redis. */
export interface EntryMeta {
  readonly shardCount: number;
  readonly groups: readonly TagGroup[];
}

/** Builds the stored bytes of an entry; groups must be sorted by shard. */
export function encodeEntryFrame(shardCount: number, groups: readonly TagGroup[], value: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  parts.push(Buffer.from(`${shardCount};${groups.length};`));
  for (const group of groups) {
    parts.push(Buffer.from(`${group.shard};${group.epoch};${group.fetch};${group.tags.length};`));
    for (const tag of group.tags) {
      const bytes = Buffer.from(tag, 'utf8');
      parts.push(Buffer.from(`${bytes.length};`), bytes);
    }
  }
  const meta = Buffer.concat(parts);
  if (meta.length > MAX_META_BYTES) throw new RangeError(`entry metadata of ${meta.length} bytes exceeds ${MAX_META_BYTES}`);
  const header = Buffer.from(FRAME_MAGIC + String(meta.length).padStart(8, '0'));
  return Buffer.concat([header, meta, value]);
}

/** Parses metadata as the Lua parser does; undefined for anything malformed. */
export function parseEntryMeta(meta: Buffer): EntryMeta | undefined {
  let pos = 0;
  const number = (): number | undefined => {
    const stop = meta.indexOf(0x3b, pos);
    if (stop <= pos || stop - pos > 15) return undefined;
    const text = meta.toString('latin1', pos, stop);
    if (!/^\d+$/.test(text)) return undefined;
    pos = stop + 1;
    return Number(text);
  };
  const shardCount = number();
  const groupCount = number();
  if (shardCount === undefined || groupCount === undefined || groupCount > shardCount) return undefined;
  const groups: TagGroup[] = [];
  let previousShard = -1;
  for (let g = 0; g < groupCount; g++) {
    const shard = number();
    if (shard === undefined || shard >= shardCount || shard <= previousShard) return undefined;
    previousShard = shard;
    const epoch = meta.toString('latin1', pos, pos + 16);
    if (!isEpoch(epoch) || meta[pos + 16] !== 0x3b) return undefined;
    pos += 17;
    const fetch = number();
    const tagCount = number();
    if (fetch === undefined || tagCount === undefined) return undefined;
    const tags: string[] = [];
    for (let t = 0; t < tagCount; t++) {
      const length = number();
      if (length === undefined || pos + length > meta.length) return undefined;
      tags.push(meta.toString('utf8', pos, pos + length));
      pos += length;
    }
    groups.push({ shard, epoch, fetch, tags });
  }
  return pos === meta.length ? { shardCount, groups } : undefined;
}
