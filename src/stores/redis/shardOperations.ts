/**
 * The store's steps on Redis, shard by shard: every call here is one script
 * per shard involved, all shards in parallel. No deadlines, breaker or
 * fallback here: the store wraps these (redisStore.ts).
 */
import { randomBytes } from 'node:crypto';
import { CacheTagError } from '../../errors.js';
import type { StoreEntry, StoreLookup, StoreRead, StoreSeq } from '../types.js';
import type { ScriptArg, StoreConnection } from './connection.js';
import { encodeEntryFrame, parseEntryFrame, type TagGroup, valueOffsetOf } from './entryFrame.js';
import { type ShardLayout, shardLayouts, shardOf } from './layout.js';
import { storeScripts } from './scripts.js';
import { encodeSeqVector, isEpoch, parseSeqVector, type ShardSeq, UNKNOWN_SHARD } from './seqVector.js';
import type { ShardGuard } from './shardGuard.js';
import { withDeadline } from './deadline.js';

/** Tags whose invalidation Redis has not acknowledged, honoured locally. */
export interface PendingTags {
  readonly size: number;
  has(tag: string): boolean;
}

export interface ShardOperations {
  readonly shardCount: number;
  shardOfTag(tag: string): number;
  /** `until`: the deadline (performance.now() time) of every shard's call, on a cluster (see shardGuard.ts). */
  /** `tagsOut`, when given, receives the tags of each value returned (by index), for the in-process tier (localTier.ts). */
  lookup(keys: readonly string[], pending: PendingTags, until: number, tagsOut?: (readonly string[] | undefined)[]): Promise<StoreLookup>;
  fill(entries: readonly StoreEntry[], pending: PendingTags, until: number): Promise<number>;
  /** Runs checkEpoch on every shard (scripts.ts): a shard created by another run of a server starts a new epoch. */
  checkEpochs(until: number): Promise<void>;
  /** Invalidates; `acknowledged` collects the shards Redis acknowledged, even when another shard fails. */
  invalidate(tags: readonly string[], acknowledged: Set<number>, until: number): Promise<StoreSeq>;
}

export interface ShardOperationsOptions {
  readonly prefix: string;
  readonly shardCount: number;
  readonly maxValueBytes: number;
  readonly tagTtlMarginMs: number;
}

/** An entry read by a lookup script whose other shards remain to be checked. */
interface Candidate {
  readonly index: number;
  readonly shard: number;
  /** The entry as stored (entryFrame.ts). */
  readonly frame: Buffer;
}

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

interface TagRecord {
  readonly epoch: string;
  readonly version: number;
}

/**
 * The most tag records one script touches. A script blocks every other client
 * of its Redis (of its node, on a cluster) while it runs; at about 7 µs per
 * record created, 1,000 keep a script near 10 ms, well inside the default
 * 50 ms read deadline of other instances. Larger fills are chunked.
 */
export const MAX_TAGS_PER_SCRIPT = 250;

const mismatches = new WeakSet<object>();

/** True for the error of a reply that belongs to another call: the connection lost bytes and must be reset. */
export function isReplyMismatch(error: unknown): boolean {
  return typeof error === 'object' && error !== null && mismatches.has(error);
}

export function createShardOperations(connection: StoreConnection, options: ShardOperationsOptions, guard: ShardGuard): ShardOperations {
  const { shardCount, maxValueBytes, tagTtlMarginMs } = options;
  const shards = shardLayouts(options.prefix, shardCount);
  // The latest position this process saw per shard, so a script can tell that
  // the counter went backwards in the same epoch (and start a new epoch).
  const lastSeen: (ShardSeq | undefined)[] = new Array(shardCount).fill(undefined);
  let nonceCounter = 0;
  let resets = 0;

  function nextNonce(): string {
    nonceCounter = (nonceCounter + 1) % Number.MAX_SAFE_INTEGER;
    return String(nonceCounter);
  }

  /** ARGV[1..4] of every script: nonce, a candidate epoch, and what this process last saw of the shard. */
  function commonArgs(shard: ShardLayout, nonce: string): ScriptArg[] {
    const seen = lastSeen[shard.index];
    return [nonce, randomBytes(8).toString('hex'), seen?.epoch ?? '', seen === undefined ? '' : String(seen.n)];
  }

  /** Checks a script reply's `{nonce, epoch, counter}` head and records the shard's position. */
  function replyHead(reply: unknown, nonce: string, shard: number): { seq: ShardSeq; rest: unknown[] } {
    if (!Array.isArray(reply) || reply.length < 3) throw protocolError('a malformed reply');
    const [echo, epochBytes, n] = reply as [unknown, unknown, unknown];
    if (!Buffer.isBuffer(echo) || echo.toString('latin1') !== nonce) {
      const error = protocolError('a reply that belongs to another call');
      mismatches.add(error);
      throw error;
    }
    const epoch = Buffer.isBuffer(epochBytes) ? epochBytes.toString('latin1') : '';
    if (!isEpoch(epoch) || typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw protocolError('a malformed sequence');
    const seen = lastSeen[shard];
    if (seen === undefined || seen.epoch !== epoch || seen.n < n) lastSeen[shard] = { epoch, n };
    return { seq: { epoch, n }, rest: reply.slice(3) };
  }

  async function readSeq(shard: ShardLayout, nonce: string, until: number): Promise<ShardSeq> {
    const reply = await guard.run(shard.index, until, 'readSeq', () => connection.run(storeScripts.readSeq, 1, shard.seqKey, ...commonArgs(shard, nonce)));
    return replyHead(reply, nonce, shard.index).seq;
  }

  /**
   * Runs one call per shard in parallel and waits for all. On a cluster a
   * shard that fails is reported through `failed` (the others go on); the
   * whole call fails only when every shard did. Otherwise the first failure
   * fails it.
   */
  async function eachShard<T>(items: readonly T[], call: (item: T) => Promise<void>, failed: (item: T) => void = () => {}): Promise<void> {
    const outcomes = await Promise.allSettled(items.map(call));
    const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ item: items[i]!, reason: o.reason as unknown }] : []));
    if (failures.length === 0) return;
    if (!guard.isolating || failures.length === items.length) throw failures[0]!.reason;
    for (const f of failures) failed(f.item);
  }

  async function lookup(keys: readonly string[], pending: PendingTags, until: number, tagsOut?: (readonly string[] | undefined)[]): Promise<StoreLookup> {
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
          ),
        );
        const { seq, rest } = replyHead(reply, nonce, shard.index);
        if (rest.length !== indices.length) throw protocolError('a reply of the wrong length');
        seqs[shard.index] = seq;
        rest.forEach((item, j) => {
          const index = indices[j]!;
          if (item === 0) values[index] = 'absent';
          else if (Buffer.isBuffer(item)) candidates.push({ index, shard: shard.index, frame: item });
        });
      },
      (shard) => (seqs[shard.index] = UNKNOWN_SHARD),
    );

    // The script checked each entry's own shard. Other shards: unchanged
    // counter → fresh; counter moved → read those tag records (round two).
    const unsure: { index: number; value: Buffer; groups: TagGroup[] }[] = [];
    for (const candidate of candidates) {
      if (shardCount === 1 && pending.size === 0 && tagsOut === undefined) {
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
      if (tagsOut) tagsOut[candidate.index] = meta.groups.flatMap((g) => g.tags);
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
    const frame = encodeEntryFrame(shardCount, groups, entry.value);
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
          1 + list.length + tagKeys.size,
          shard.seqKey,
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

  async function invalidate(tags: readonly string[], acknowledged: Set<number>, until: number): Promise<StoreSeq> {
    const nonce = nextNonce();
    const byShard = groupBy(tags, (tag) => shardOf(tag, shardCount));
    // Only the shards holding the tags are touched (a hung primary elsewhere costs nothing); the others are
    // answered with what this process last saw of them (the vector equals no earlier one: a touched shard moved).
    const seqs: ShardSeq[] = lastSeen.map((seen) => seen ?? UNKNOWN_SHARD);
    // No tags: a read of the current sequence (every shard that answers).
    if (tags.length === 0) {
      await eachShard(
        shards,
        async (shard) => void (seqs[shard.index] = await readSeq(shard, nonce, until)),
        (shard) => (seqs[shard.index] = UNKNOWN_SHARD),
      );
      return encodeSeqVector(seqs);
    }
    let reset = false;
    let failure: { reason: unknown } | undefined;
    await Promise.all(
      [...byShard].map(async ([index, list]) => {
        const shard = shards[index]!;
        try {
          let reply: unknown;
          try {
            reply = await guard.run(index, until, 'invalidate', () =>
              connection.run(storeScripts.invalidate, 1 + list.length, shard.seqKey, ...list.map((t) => shard.tagKeyPrefix + t), ...commonArgs(shard, nonce)),
            );
          } catch (error) {
            if (!isMigrating(error)) throw error;
            reply = await guard.run(index, until, 'invalidate', () => invalidateApart(shard, list, nonce));
          }
          const head = replyHead(reply, nonce, shard.index);
          seqs[shard.index] = head.seq;
          if (isReset(head.rest[0])) reset = true;
          acknowledged.add(shard.index);
        } catch (error) {
          // Every shard settles before the call does, so `acknowledged` is complete.
          failure ??= { reason: error };
        }
      }),
    );
    if (failure) throw failure.reason;
    // A shard reset under OOM has no new counter yet: answer a sequence equal to no other.
    return reset ? `reset:${++resets}` : encodeSeqVector(seqs);
  }

  /**
   * The invalidation while the shard's slot migrates and its keys sit on two
   * nodes (the script, which needs them together, is refused): the counter
   * is raised first (a script on the counter alone), then each tag's record
   * is deleted by a plain DEL, which ioredis follows to whichever node holds
   * it (ASK). A missing record reads as stale, and a fill recreates it at the
   * raised counter, above every fetch that began before; until both steps are
   * done the invalidation is not acknowledged.
   */
  async function invalidateApart(shard: ShardLayout, tags: readonly string[], nonce: string): Promise<unknown> {
    const reply = await connection.run(storeScripts.invalidate, 1, shard.seqKey, ...commonArgs(shard, nonce));
    await Promise.all(tags.map((t) => connection.client.del(shard.tagKeyPrefix + t)));
    return reply;
  }

  /** Checks every shard's epoch; marks each checked shard in the guard; rejects when one failed (checked again later). */
  async function checkEpochs(until: number): Promise<void> {
    const nonce = nextNonce();
    let failure: { reason: unknown } | undefined;
    await Promise.all(
      shards.map(async (shard) => {
        try {
          const call = connection.run(storeScripts.checkEpoch, 1, shard.seqKey, ...commonArgs(shard, nonce));
          replyHead(await withDeadline(call, Math.max(1, Math.round(until - performance.now())), `epoch check of shard ${shard.index}`), nonce, shard.index);
          guard.checked(shard.index);
        } catch (error) {
          failure ??= { reason: error };
        }
      }),
    );
    if (failure) throw failure.reason;
  }

  return { shardCount, shardOfTag: (tag) => shardOf(tag, shardCount), lookup, fill, invalidate, checkEpochs };
}

/**
 * Tags as Redis stores them: UTF-8 turns lone surrogates into U+FFFD. Every
 * path (shard choice, pending set, keys) uses this form so they agree.
 */
export function normalizeTag(tag: string): string {
  return /[\uD800-\uDFFF]/.test(tag) ? Buffer.from(tag, 'utf8').toString('utf8') : tag;
}

/** True for the refusals of a multi-key script whose keys a slot migration has split over two nodes. */
function isMigrating(error: unknown): boolean {
  return error instanceof Error && /^(TRYAGAIN|ASK|MOVED)|Too many Cluster redirections/.test(error.message);
}

function isReset(item: unknown): boolean {
  return Buffer.isBuffer(item) && item.toString('latin1') === 'reset';
}

function groupBy<T>(items: Iterable<T>, shardOfItem: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const shard = shardOfItem(item);
    const list = groups.get(shard);
    if (list) list.push(item);
    else groups.set(shard, [item]);
  }
  return groups;
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

function protocolError(what: string): CacheTagError {
  return new CacheTagError('STORE_UNAVAILABLE', `Redis store: Redis sent ${what}.`);
}
