/**
 * An entry as stored under its key: a 2-byte magic, the metadata as one
 * MessagePack array, then the value bytes untouched.
 *
 *   "E2" + [shardCount, group, group, ..., filledAtMs] + value
 *   group = [shard, epoch, fetch, tag, tag, ...]
 *
 * The metadata says what the entry's freshness depends on, grouped by the
 * shard that holds each tag's record, shards ascending, and is read by the
 * Lua scripts (the local group) and by the client (the other groups). It is
 * MessagePack because Redis decodes that in C: `cmsgpack.unpack_one` turns it
 * into Lua tables and says where the value starts in one call, instead of
 * dozens of string operations per entry in Lua. Only a subset is written and
 * accepted here: arrays, strings (tags as UTF-8, any bytes survive; the epoch,
 * 16 hex digits) and non-negative integers.
 *
 * `epoch` and `fetch` are the shard's position in the fetch sequence of the
 * fill. The shard holding the entry always has a group, tags or not. An
 * entry is fresh while, for every group, the shard is still in that epoch,
 * its counter is not below `fetch`, and no tag of the group has a version
 * above `fetch`.
 *
 * `filledAtMs` (the writer's wall clock at the fill, for operators: `cachetag inspect` shows the entry's age) is an
 * optional last integer: frames written before it have none and read on. The Lua scripts skip any element that is
 * not a group, so they read both; a process older than it reads such a frame as malformed, a miss that its fill
 * replaces (a rolling deploy costs misses, never a wrong answer).
 */
import { isEpoch } from './seqVector.js';

export const FRAME_MAGIC = 'E2';
const MAGIC = Buffer.from(FRAME_MAGIC, 'latin1');
/** Where the metadata starts. */
export const FRAME_META_OFFSET = FRAME_MAGIC.length;
/**
 * Largest metadata written, in bytes (tens of thousands of tags). It bounds
 * what a lookup reads under a key: at most the magic, this, `maxValueBytes`
 * and one byte more (which tells an oversized value from a valid one).
 */
export const MAX_META_BYTES = 1024 * 1024;

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
  /** When the entry was filled, in ms since the epoch (writer's clock); absent in frames written before it was. */
  readonly filledAtMs?: number;
}

/**
 * Builds the stored bytes of an entry; groups must be sorted by shard.
 * Undefined when the metadata exceeds {@link MAX_META_BYTES}: such an entry is not cached.
 */
export function encodeEntryFrame(shardCount: number, groups: readonly TagGroup[], value: Uint8Array, filledAtMs?: number): Buffer | undefined {
  const filled = filledAtMs !== undefined && Number.isSafeInteger(filledAtMs) && filledAtMs >= 0;
  let metaBytes = arrayHeaderBytes(1 + groups.length + (filled ? 1 : 0)) + uintBytes(shardCount) + (filled ? uintBytes(filledAtMs) : 0);
  for (const group of groups) {
    metaBytes += arrayHeaderBytes(3 + group.tags.length) + uintBytes(group.shard) + strBytes(group.epoch.length) + uintBytes(group.fetch);
    for (const tag of group.tags) metaBytes += strBytes(Buffer.byteLength(tag, 'utf8'));
  }
  if (metaBytes > MAX_META_BYTES) return undefined;
  const frame = Buffer.allocUnsafe(FRAME_META_OFFSET + metaBytes + value.byteLength);
  const cursor = { pos: frame.write(FRAME_MAGIC, 0, 'latin1') };
  writeArrayHeader(frame, cursor, 1 + groups.length + (filled ? 1 : 0));
  writeUint(frame, cursor, shardCount);
  for (const group of groups) {
    writeArrayHeader(frame, cursor, 3 + group.tags.length);
    writeUint(frame, cursor, group.shard);
    writeStr(frame, cursor, group.epoch, 'latin1');
    writeUint(frame, cursor, group.fetch);
    for (const tag of group.tags) writeStr(frame, cursor, tag, 'utf8');
  }
  if (filled) writeUint(frame, cursor, filledAtMs);
  frame.set(value, cursor.pos);
  return frame;
}

/**
 * Parses the metadata of a frame as the Lua scripts do, more strictly;
 * undefined for anything malformed. Also says where the value starts.
 */
export function parseEntryFrame(frame: Buffer): { meta: EntryMeta; valueOffset: number } | undefined {
  const groups: TagGroup[] = [];
  const walked = walkFrame(frame, (shard, epoch, fetch, tags) => void groups.push({ shard, epoch, fetch, tags }));
  if (!walked) return undefined;
  const meta: EntryMeta = { shardCount: walked.shardCount, groups, ...(walked.filledAtMs !== undefined ? { filledAtMs: walked.filledAtMs } : {}) };
  return { meta, valueOffset: walked.valueOffset };
}

/**
 * Where the value of a frame starts, found by skipping its metadata without
 * decoding it; undefined when the frame is malformed.
 */
export function valueOffsetOf(frame: Buffer): number | undefined {
  return walkFrame(frame)?.valueOffset;
}

/** Walks the metadata, handing each group to `visit` (tags decoded only then). */
function walkFrame(
  frame: Buffer,
  visit?: (shard: number, epoch: string, fetch: number, tags: string[]) => void,
): { shardCount: number; valueOffset: number; filledAtMs?: number } | undefined {
  if (frame.length < FRAME_META_OFFSET || frame[0] !== MAGIC[0] || frame[1] !== MAGIC[1]) return undefined;
  const cursor = { pos: FRAME_META_OFFSET };
  const length = readArrayHeader(frame, cursor);
  if (length === undefined || length < 1) return undefined;
  const shardCount = readUint(frame, cursor);
  // At most one group per shard, and the fill time.
  if (shardCount === undefined || length - 2 > shardCount) return undefined;
  let previousShard = -1;
  let filledAtMs: number | undefined;
  for (let g = 1; g < length; g++) {
    if (g === length - 1 && g > 1 && isUint(frame[cursor.pos])) {
      filledAtMs = readUint(frame, cursor);
      if (filledAtMs === undefined) return undefined;
      break;
    }
    const fields = readArrayHeader(frame, cursor);
    if (fields === undefined || fields < 3) return undefined;
    const shard = readUint(frame, cursor);
    if (shard === undefined || shard >= shardCount || shard <= previousShard) return undefined;
    previousShard = shard;
    const epoch = readStr(frame, cursor, 'latin1');
    const fetch = readUint(frame, cursor);
    if (epoch === undefined || !isEpoch(epoch) || fetch === undefined) return undefined;
    const tags: string[] = [];
    for (let t = 3; t < fields; t++) {
      const tag = readStr(frame, cursor, visit && 'utf8');
      if (tag === undefined) return undefined;
      if (visit) tags.push(tag);
    }
    visit?.(shard, epoch, fetch, tags);
  }
  if (cursor.pos - FRAME_META_OFFSET > MAX_META_BYTES) return undefined;
  // Without the fill time, as many groups as shards at most.
  if (filledAtMs === undefined && length - 1 > shardCount) return undefined;
  return { shardCount, valueOffset: cursor.pos, ...(filledAtMs !== undefined ? { filledAtMs } : {}) };
}

/** Whether a MessagePack type byte starts an unsigned integer (positive fixint or uint 8 to 64). */
function isUint(type: number | undefined): boolean {
  return type !== undefined && (type < 0x80 || (type >= 0xcc && type <= 0xcf));
}

function arrayHeaderBytes(length: number): number {
  return length < 16 ? 1 : length < 0x10000 ? 3 : 5;
}

function uintBytes(value: number): number {
  return value < 0x80 ? 1 : value < 0x100 ? 2 : value < 0x10000 ? 3 : value < 0x100000000 ? 5 : 9;
}

function strBytes(length: number): number {
  return (length < 32 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5) + length;
}

function writeArrayHeader(frame: Buffer, cursor: Cursor, length: number): void {
  if (length < 16) cursor.pos = frame.writeUInt8(0x90 | length, cursor.pos);
  else if (length < 0x10000) cursor.pos = frame.writeUInt16BE(length, frame.writeUInt8(0xdc, cursor.pos));
  else cursor.pos = frame.writeUInt32BE(length, frame.writeUInt8(0xdd, cursor.pos));
}

function writeUint(frame: Buffer, cursor: Cursor, value: number): void {
  if (value < 0x80) cursor.pos = frame.writeUInt8(value, cursor.pos);
  else if (value < 0x100) cursor.pos = frame.writeUInt8(value, frame.writeUInt8(0xcc, cursor.pos));
  else if (value < 0x10000) cursor.pos = frame.writeUInt16BE(value, frame.writeUInt8(0xcd, cursor.pos));
  else if (value < 0x100000000) cursor.pos = frame.writeUInt32BE(value, frame.writeUInt8(0xce, cursor.pos));
  else cursor.pos = frame.writeBigUInt64BE(BigInt(value), frame.writeUInt8(0xcf, cursor.pos));
}

function writeStr(frame: Buffer, cursor: Cursor, text: string, encoding: 'utf8' | 'latin1'): void {
  const length = Buffer.byteLength(text, encoding);
  if (length < 32) cursor.pos = frame.writeUInt8(0xa0 | length, cursor.pos);
  else if (length < 0x100) cursor.pos = frame.writeUInt8(length, frame.writeUInt8(0xd9, cursor.pos));
  else if (length < 0x10000) cursor.pos = frame.writeUInt16BE(length, frame.writeUInt8(0xda, cursor.pos));
  else cursor.pos = frame.writeUInt32BE(length, frame.writeUInt8(0xdb, cursor.pos));
  cursor.pos += frame.write(text, cursor.pos, encoding);
}

interface Cursor {
  pos: number;
}

/** Reads a big-endian unsigned integer of `bytes` bytes after the type byte; undefined past the end. */
function readBE(frame: Buffer, cursor: Cursor, bytes: 1 | 2 | 4): number | undefined {
  const at = cursor.pos + 1;
  if (at + bytes > frame.length) return undefined;
  cursor.pos = at + bytes;
  return bytes === 1 ? frame[at]! : bytes === 2 ? frame.readUInt16BE(at) : frame.readUInt32BE(at);
}

function readArrayHeader(frame: Buffer, cursor: Cursor): number | undefined {
  const type = frame[cursor.pos];
  if (type === undefined) return undefined;
  if (type >= 0x90 && type <= 0x9f) {
    cursor.pos++;
    return type & 0x0f;
  }
  if (type === 0xdc) return readBE(frame, cursor, 2);
  if (type === 0xdd) return readBE(frame, cursor, 4);
  return undefined;
}

function readUint(frame: Buffer, cursor: Cursor): number | undefined {
  const type = frame[cursor.pos];
  if (type === undefined) return undefined;
  if (type < 0x80) {
    cursor.pos++;
    return type;
  }
  if (type === 0xcc) return readBE(frame, cursor, 1);
  if (type === 0xcd) return readBE(frame, cursor, 2);
  if (type === 0xce) return readBE(frame, cursor, 4);
  if (type === 0xcf) {
    const at = cursor.pos + 1;
    if (at + 8 > frame.length) return undefined;
    const value = frame.readBigUInt64BE(at);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    cursor.pos = at + 8;
    return Number(value);
  }
  return undefined;
}

/** Reads a string, or skips it (answering '') when no encoding is given. */
function readStr(frame: Buffer, cursor: Cursor, encoding: 'utf8' | 'latin1' | undefined): string | undefined {
  const type = frame[cursor.pos];
  if (type === undefined) return undefined;
  let length: number | undefined;
  if (type >= 0xa0 && type <= 0xbf) {
    cursor.pos++;
    length = type & 0x1f;
  } else if (type === 0xd9) length = readBE(frame, cursor, 1);
  else if (type === 0xda) length = readBE(frame, cursor, 2);
  else if (type === 0xdb) length = readBE(frame, cursor, 4);
  if (length === undefined || cursor.pos + length > frame.length) return undefined;
  const text = encoding === undefined ? '' : frame.toString(encoding, cursor.pos, cursor.pos + length);
  cursor.pos += length;
  return text;
}
