/**
 * The store's read step on Redis: the lookup script on every shard holding
 * requested keys (readSeq elsewhere), then, only for entries whose other
 * shards moved since their fetch, a second round reading those tag records.
 */
import type { StoreLookup, StoreRead } from '../types.js';
import { parseEntryFrame, type TagGroup, valueOffsetOf } from './entryFrame.js';
import { shardOf } from './layout.js';
import { storeScripts } from './scripts.js';
import { encodeSeqVector, isEpoch, type ShardSeq, UNKNOWN_SHARD } from './seqVector.js';
import { groupBy, type PendingTags, protocolError, type ShardCalls } from './shardCalls.js';

export type ShardLookup = (keys: readonly string[], pending: PendingTags, until: number, details?: LookupDetails) => Promise<StoreLookup>;

/** What a lookup reports beside the values, by index, for the in-process tier (localTier.ts); filled only for values returned. */
export interface LookupDetails {
  /** Each value's tags. */
  readonly tags: (readonly string[] | undefined)[];
  /** Each value's time to live left in Redis when the script read it, in ms (-1: none). */
  readonly ttlMs: (number | undefined)[];
}

/** An entry read by a lookup script whose other shards remain to be checked. */
interface Candidate {
  readonly index: number;
  readonly shard: number;
  /** The entry as stored (entryFrame.ts). */
  readonly frame: Buffer;
  /** PTTL, when the lookup asked for it. */
  readonly ttlMs?: number;
}

interface TagRecord {
  readonly epoch: string;
  readonly version: number;
}

export function createShardLookup(calls: ShardCalls, maxValueBytes: number): ShardLookup {
  const { connection, guard, shards, shardCount, nextNonce, commonArgs, replyHead, readSeq, eachShard } = calls;

  async function lookup(keys: readonly string[], pending: PendingTags, until: number, details?: LookupDetails): Promise<StoreLookup> {
    const nonce = nextNonce();
    const byShard = groupBy(keys.keys(), (i) => shardOf(keys[i]!, shardCount));
    const seqs: ShardSeq[] = new Array(shardCount);
    const values: StoreRead[] = new Array(keys.length).fill('stale');
    const candidates: Candidate[] = [];

    // Round one: every shard, in parallel; the lookup script where keys live, readSeq elsewhere.
    // A shard that fails (cluster) is unknown: its keys read as stale, no entry depending on it is served or filled.
    await eachShard(
      shards,
      async (shard) => {
        const indices = byShard.get(shard.index);
        if (indices === undefined) {
          seqs[shard.index] = await readSeq(shard, nonce, until);
          return;
        }
        const entryKeys = indices.map((i) => shard.entryKeyPrefix + keys[i]!);
        const reply = await guard.run(shard.index, until, 'lookup', () =>
          connection.run(
            storeScripts.lookup,
            1 + entryKeys.length,
            shard.seqKey,
            ...entryKeys,
            ...commonArgs(shard, nonce),
            shard.index,
            shardCount,
            maxValueBytes,
            details ? '1' : '0',
          ),
        );
        const { seq, rest } = replyHead(reply, nonce, shard.index);
        if (rest.length !== indices.length * (details ? 2 : 1)) throw protocolError('a reply of the wrong length');
        seqs[shard.index] = seq;
        rest.forEach((item, j) => {
          const index = indices[j]!;
          if (item === 0) values[index] = 'absent';
          else if (Buffer.isBuffer(item)) {
            const ttl = details ? rest[indices.length + j] : undefined;
            candidates.push({ index, shard: shard.index, frame: item, ...(typeof ttl === 'number' ? { ttlMs: ttl } : {}) });
          }
        });
      },
      (shard) => (seqs[shard.index] = UNKNOWN_SHARD),
    );

    // The script checked each entry's own shard. Other shards: unchanged
    // counter → fresh; counter moved → read those tag records (round two).
    const unsure: { index: number; value: Buffer; groups: TagGroup[] }[] = [];
    for (const candidate of candidates) {
      if (shardCount === 1 && pending.size === 0 && details === undefined) {
        const valueOffset = valueOffsetOf(candidate.frame);
        if (valueOffset !== undefined) values[candidate.index] = candidate.frame.subarray(valueOffset);
        continue;
      }
      const parsed = parseEntryFrame(candidate.frame);
      if (parsed === undefined || parsed.meta.shardCount !== shardCount) continue;
      const { meta } = parsed;
      const value = candidate.frame.subarray(parsed.valueOffset);
      if (pending.size > 0 && meta.groups.some((g) => g.tags.some((t) => pending.has(t)))) continue;
      let fresh = true;
      const moved: TagGroup[] = [];
      for (const group of meta.groups) {
        if (group.shard === candidate.shard) continue;
        const now = seqs[group.shard]!;
        if (group.epoch !== now.epoch || group.fetch > now.n) fresh = false;
        else if (group.fetch < now.n) moved.push(group);
      }
      if (!fresh) continue;
      if (details) {
        details.tags[candidate.index] = meta.groups.flatMap((g) => g.tags);
        details.ttlMs[candidate.index] = candidate.ttlMs;
      }
      if (moved.length === 0) values[candidate.index] = value;
      else unsure.push({ index: candidate.index, value, groups: moved });
    }
    if (unsure.length > 0) {
      const records = await readTagRecords(
        unsure.flatMap((u) => u.groups),
        until,
      );
      for (const { index, value, groups } of unsure) {
        if (groups.every((g) => g.tags.every((t) => isFreshRecord(records.get(g.shard)?.get(t), g)))) values[index] = value;
      }
    }
    return { values, seq: encodeSeqVector(seqs) };
  }

  async function readTagRecords(groups: readonly TagGroup[], until: number): Promise<Map<number, Map<string, TagRecord>>> {
    const wanted = new Map<number, Set<string>>();
    for (const group of groups) {
      const set = wanted.get(group.shard) ?? new Set<string>();
      for (const tag of group.tags) set.add(tag);
      wanted.set(group.shard, set);
    }
    const nonce = nextNonce();
    const out = new Map<number, Map<string, TagRecord>>();
    await Promise.all(
      [...wanted].map(async ([index, set]) => {
        const shard = shards[index]!;
        const tags = [...set];
        let reply: unknown;
        try {
          reply = await guard.run(index, until, 'readTags', () =>
            connection.run(storeScripts.readTags, 1 + tags.length, shard.seqKey, ...tags.map((t) => shard.tagKeyPrefix + t), ...commonArgs(shard, nonce)),
          );
        } catch (error) {
          // On a cluster, records a failed shard could not show read as missing: those entries are stale.
          if (guard.isolating) return;
          throw error;
        }
        const { rest } = replyHead(reply, nonce, index);
        if (rest.length !== tags.length) throw protocolError('a reply of the wrong length');
        const records = new Map<string, TagRecord>();
        rest.forEach((record, i) => {
          const parsed = parseTagRecord(record);
          if (parsed) records.set(tags[i]!, parsed);
        });
        out.set(index, records);
      }),
    );
    return out;
  }

  return lookup;
}

function isFreshRecord(record: TagRecord | undefined, group: TagGroup): boolean {
  return record !== undefined && record.epoch === group.epoch && record.version <= group.fetch;
}

/** A tag record, `<epoch><version, 15 digits><expiresAtMs>` (layout.ts); stricter than the Lua reader. */
function parseTagRecord(record: unknown): TagRecord | undefined {
  if (!Buffer.isBuffer(record) || record.length < 31) return undefined;
  const epoch = record.toString('latin1', 0, 16);
  const version = record.toString('latin1', 16, 31);
  if (!isEpoch(epoch) || !/^\d{15}$/.test(version)) return undefined;
  return { epoch, version: Number(version) };
}
