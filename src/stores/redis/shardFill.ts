/**
 * The store's write step on Redis: tags held outside an entry's own shard are
 * touched first (touchTags), then one fill script per shard writes the fresh
 * entries; fills too large for one bounded script go in chunks (fillFenced).
 */
import type { StoreEntry } from '../types.js';
import { encodeEntryFrame, type TagGroup } from './entryFrame.js';
import { type ShardLayout, shardOf } from './layout.js';
import { storeScripts } from './scripts.js';
import { parseSeqVector, type ShardSeq } from './seqVector.js';
import { groupBy, normalizeTag, type PendingTags, protocolError, type ShardCalls } from './shardCalls.js';

export type ShardFill = (entries: readonly StoreEntry[], pending: PendingTags, until: number) => Promise<number>;

/**
 * The most tag records one script touches. A script blocks every other client
 * of its Redis (of its node, on a cluster) while it runs; at about 7 µs per
 * record created, 1,000 keep a script near 10 ms, well inside the default
 * 50 ms read deadline of other instances. Larger fills are chunked.
 */
export const MAX_TAGS_PER_SCRIPT = 250;

/** An entry ready to be written. */
interface PreparedFill {
  readonly key: string;
  readonly shard: number;
  readonly frame: Buffer;
  readonly ttlMs: number;
  /** Tags held by the entry's own shard. */
  readonly localTags: readonly string[];
  /** The entry's group in its own shard (the fetch position there). */
  readonly local: TagGroup;
  /** Groups of tags held by other shards. */
  readonly foreign: readonly TagGroup[];
}

export function createShardFill(calls: ShardCalls, options: { readonly maxValueBytes: number; readonly tagTtlMarginMs: number }): ShardFill {
  const { connection, guard, shards, shardCount, nextNonce, commonArgs, replyHead, eachShard } = calls;
  const { maxValueBytes, tagTtlMarginMs } = options;

  function prepare(entry: StoreEntry, pending: PendingTags): PreparedFill | undefined {
    if (!(entry.value instanceof Uint8Array) || entry.value.byteLength > maxValueBytes) return undefined;
    const ttlMs = Math.ceil(entry.ttlMs);
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) return undefined;
    const fetch = parseSeqVector(entry.fetchSeq, shardCount);
    if (fetch === undefined) return undefined;
    const unknown = (index: number): boolean => fetch[index]!.epoch === '';
    // A fill carrying a tag whose invalidation Redis has not acknowledged
    // yet may hold data older than that invalidation: never let it land.
    const tags = entry.tags.map(normalizeTag);
    if (pending.size > 0 && tags.some((t) => pending.has(t))) return undefined;
    const shard = shardOf(entry.key, shardCount);
    // The entry's own shard always has a group, even without tags there, so
    // that an epoch change of that shard retires the entry too.
    const byShard = new Map<number, Set<string>>([[shard, new Set()]]);
    for (const tag of tags) {
      const tagShard = shardOf(tag, shardCount);
      const set = byShard.get(tagShard) ?? new Set<string>();
      set.add(tag);
      byShard.set(tagShard, set);
    }
    // A shard the lookup could not read vouches for nothing: the fill is dropped.
    if ([...byShard.keys()].some(unknown)) return undefined;
    const groups: TagGroup[] = [...byShard]
      .sort(([a], [b]) => a - b)
      .map(([index, tags]) => ({ shard: index, epoch: fetch[index]!.epoch, fetch: fetch[index]!.n, tags: [...tags] }));
    // The fill time is for operators only (`cachetag inspect`'s age): the wall clock is good enough.
    const frame = encodeEntryFrame(shardCount, groups, entry.value, Date.now());
    if (frame === undefined) return undefined;
    return {
      key: entry.key,
      shard,
      frame,
      ttlMs,
      localTags: [...byShard.get(shard)!],
      local: groups.find((g) => g.shard === shard)!,
      foreign: groups.filter((g) => g.shard !== shard),
    };
  }

  async function fill(entries: readonly StoreEntry[], pending: PendingTags, until: number): Promise<number> {
    const prepared: PreparedFill[] = [];
    for (const entry of entries) {
      const p = prepare(entry, pending);
      if (p) prepared.push(p);
    }
    if (prepared.length === 0) return 0;
    const touched = await touchForeignTags(prepared, until);
    const byShard = groupBy(
      prepared.filter((p) =>
        p.foreign.every((g) => {
          const t = touched.get(g.shard);
          return t !== undefined && t.epoch === g.epoch && g.tags.every((tag) => (t.versions.get(tag) ?? Infinity) <= g.fetch);
        }),
      ),
      (p) => p.shard,
    );
    const nonce = nextNonce();
    let written = 0;
    await eachShard([...byShard], async ([index, list]) => {
      const shard = shards[index]!;
      const tagKeys = new Set<string>();
      for (const p of list) for (const tag of p.localTags) tagKeys.add(shard.tagKeyPrefix + tag);
      if (tagKeys.size > MAX_TAGS_PER_SCRIPT) {
        written += await guard.run(index, until, 'fill', () => fillInChunks(shard, list));
        return;
      }
      const reply = await guard.run(index, until, 'fill', () =>
        connection.run(
          storeScripts.fill,
          2 + list.length + tagKeys.size,
          shard.seqKey,
          shard.logKey,
          ...list.map((p) => shard.entryKeyPrefix + p.key),
          ...tagKeys,
          ...commonArgs(shard, nonce),
          index,
          shardCount,
          tagTtlMarginMs,
          list.length,
          ...list.flatMap((p) => [p.frame, p.ttlMs]),
        ),
      );
      written += replyHead(reply, nonce, index).rest.filter((r) => r === 1).length;
    });
    return written;
  }

  /**
   * Touches tag records in chunks of at most MAX_TAGS_PER_SCRIPT (one
   * touchTags script each, one after the other, so other clients' commands
   * run between them); resolves to the shard's position, which every chunk
   * must have seen unchanged (undefined otherwise), and the versions.
   */
  async function touchInChunks(shard: ShardLayout, perTag: Map<string, number>): Promise<{ seq?: ShardSeq; versions: Map<string, number> }> {
    const tags = [...perTag.keys()];
    const versions = new Map<string, number>();
    let seen: ShardSeq | undefined;
    for (let i = 0; i < tags.length; i += MAX_TAGS_PER_SCRIPT) {
      const chunk = tags.slice(i, i + MAX_TAGS_PER_SCRIPT);
      const nonce = nextNonce();
      const reply = await connection.run(
        storeScripts.touchTags,
        1 + chunk.length,
        shard.seqKey,
        ...chunk.map((t) => shard.tagKeyPrefix + t),
        ...commonArgs(shard, nonce),
        tagTtlMarginMs,
        ...chunk.map((t) => perTag.get(t)!),
      );
      const { seq, rest } = replyHead(reply, nonce, shard.index);
      if (rest.length !== chunk.length) throw protocolError('a reply of the wrong length');
      if (seen !== undefined && (seen.epoch !== seq.epoch || seen.n !== seq.n)) return { versions };
      seen = seq;
      rest.forEach((v, j) => {
        if (typeof v === 'number') versions.set(chunk[j]!, v);
      });
    }
    return { ...(seen ? { seq: seen } : {}), versions };
  }

  /**
   * A fill whose entries carry more local tags than one bounded script
   * should touch: the records are prepared in chunks (touchInChunks), then
   * the fresh entries are written by fillFenced, only if the shard's counter
   * has not moved since the first chunk.
   */
  async function fillInChunks(shard: ShardLayout, list: readonly PreparedFill[]): Promise<number> {
    const perTag = new Map<string, number>();
    for (const p of list) for (const tag of p.localTags) perTag.set(tag, Math.max(perTag.get(tag) ?? 0, p.ttlMs));
    const { seq, versions } = await touchInChunks(shard, perTag);
    if (seq === undefined) return 0;
    const fresh = list.filter(
      (p) => p.local.epoch === seq.epoch && p.local.fetch <= seq.n && p.localTags.every((t) => (versions.get(t) ?? Infinity) <= p.local.fetch),
    );
    if (fresh.length === 0) return 0;
    const nonce = nextNonce();
    const reply = await connection.run(
      storeScripts.fillFenced,
      1 + fresh.length,
      shard.seqKey,
      ...fresh.map((p) => shard.entryKeyPrefix + p.key),
      ...commonArgs(shard, nonce),
      seq.epoch,
      seq.n,
      ...fresh.flatMap((p) => [p.frame, p.ttlMs]),
    );
    return replyHead(reply, nonce, shard.index).rest.filter((r) => r === 1).length;
  }

  /**
   * Tags held outside the entry's own shard, before the entry is written:
   * their records must exist (and outlive the entry) for the entry to read as
   * fresh, and entries they prove stale are not sent. One touchTags script
   * per shard, in parallel.
   */
  async function touchForeignTags(prepared: readonly PreparedFill[], until: number): Promise<Map<number, { epoch: string; versions: Map<string, number> }>> {
    const ttls = new Map<number, Map<string, number>>();
    for (const p of prepared) {
      for (const group of p.foreign) {
        const perTag = ttls.get(group.shard) ?? new Map<string, number>();
        for (const tag of group.tags) perTag.set(tag, Math.max(perTag.get(tag) ?? 0, p.ttlMs));
        ttls.set(group.shard, perTag);
      }
    }
    const touched = new Map<number, { epoch: string; versions: Map<string, number> }>();
    if (ttls.size === 0) return touched;
    const nonce = nextNonce();
    // A shard that fails leaves its entries unvouched for: they are not written.
    await eachShard(
      [...ttls],
      async ([index, perTag]) => {
        const shard = shards[index]!;
        const tags = [...perTag.keys()];
        if (tags.length > MAX_TAGS_PER_SCRIPT) {
          const chunked = await guard.run(index, until, 'touchTags', () => touchInChunks(shard, perTag));
          // Chunks that saw the shard move vouch for nothing: its entries are not written.
          if (chunked.seq !== undefined) touched.set(index, { epoch: chunked.seq.epoch, versions: chunked.versions });
          return;
        }
        const reply = await guard.run(index, until, 'touchTags', () =>
          connection.run(
            storeScripts.touchTags,
            1 + tags.length,
            shard.seqKey,
            ...tags.map((t) => shard.tagKeyPrefix + t),
            ...commonArgs(shard, nonce),
            tagTtlMarginMs,
            ...tags.map((t) => perTag.get(t)!),
          ),
        );
        const { seq, rest } = replyHead(reply, nonce, index);
        if (rest.length !== tags.length) throw protocolError('a reply of the wrong length');
        const versions = new Map<string, number>();
        rest.forEach((v, i) => {
          if (typeof v === 'number') versions.set(tags[i]!, v);
        });
        touched.set(index, { epoch: seq.epoch, versions });
      },
      () => {},
    );
    return touched;
  }

  return fill;
}
