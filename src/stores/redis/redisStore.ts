/**
 * The Redis store: tag-versioned entries checked at read time, on a single
 * Redis or a Redis Cluster, that fails open.
 *
 * Design
 * ------
 * Shards. The invalidation sequence is split into `shards` counters (one on a
 * standalone Redis, 16 on a cluster by default). Shard `i` owns a hash tag
 * `{<prefix>:v1:<i>:<salt>}` (layout.ts) under which live its counter, the
 * version records of the tags that hash to it, and the entries whose key
 * hashes to it. Everything one script touches therefore sits in one slot.
 * The salt places the shards in evenly spaced slot ranges, so on a cluster
 * they, and the traffic they carry, spread over the primaries.
 *
 * Sequence. `StoreSeq` is the vector of every shard's `<epoch>:<counter>`
 * (seqVector.ts). An invalidation raises the counter of each shard its tags
 * hash to, once, and stores the new value as the version of each tag (one
 * write per tag, no tag → key index, nothing to scan or collect). A fill
 * carries the vector its lookup saw; the entry is stored with, for every
 * shard holding one of its tags, that shard's epoch and counter at fetch time
 * and the tags held there (entryFrame.ts). An entry is fresh when, for every
 * such group, the shard is still in the same epoch and every tag's version is
 * at most the recorded counter. No wall clock is involved anywhere.
 *
 * Reading (freshness is checked on every read, not only at write):
 * - `lookup` script, one per shard that holds requested keys: reads the
 *   entries, checks the tags they have in that shard against their records,
 *   and returns the shard's epoch and counter, all atomically.
 * - `readSeq` script for every other shard, so the returned vector is whole.
 * - An entry with tags in other shards is fresh for those groups when the
 *   other shard's counter still equals the recorded one (nothing at all was
 *   invalidated there since the fetch). Otherwise a second round reads the
 *   tag records of those shards (`readTags`).
 * Standalone (one shard): a `get` is exactly one script, one round trip.
 * Cluster: one round of `shards` commands sent in parallel, grouped by node
 * by ioredis, plus a second parallel round only for entries whose other
 * shards saw an invalidation since their fetch.
 *
 * Writing. `fill` script, one per shard holding entries of the batch: checks
 * the entries' tags in that shard, creates missing tag records at the current
 * counter, stretches record TTLs past the entry's, and writes the entries
 * that are fresh. Tags in other shards are handled first by `touchTags` (one
 * parallel round, cluster only), and entries they prove stale are not sent.
 * Standalone: a `set` is exactly one script.
 *
 * Losing state never resurrects entries. A missing tag record reads as stale
 * (records carry TTLs and may be evicted), and a fill recreates it at the
 * current counter, which is never below the version it lost. A missing or
 * malformed counter starts a new random epoch, which every older entry and
 * record fails to match (flush, restart without persistence, eviction). A
 * counter lower than one this client already saw in the same epoch (failover
 * to a lagging replica) also starts a new epoch. Known limit: an
 * acknowledged invalidation can be lost by a failover that no client of the
 * store observed; Redis replication is asynchronous.
 *
 * Failures: fail open, fast.
 * - `get` rejects with `STORE_UNAVAILABLE` within `readTimeoutMs` (default
 *   50 ms) when Redis is down, slow, hung, out of memory or the breaker is
 *   open; the engine serves such keys uncached. It never returns a value it
 *   could not check.
 * - `set` never rejects: it resolves to the number of entries written (0 on
 *   failure) within `writeTimeoutMs` and reports the failure to `onError`.
 * - `invalidate` resolves within `writeTimeoutMs`. Tags Redis did not
 *   acknowledge join a local pending set, reported to `onError`; while a tag
 *   is pending, entries carrying it read as `'stale'` and fills carrying it
 *   are dropped; a background loop retries them (with backoff) until Redis
 *   acknowledges. `pendingInvalidations` counts them.
 * - A circuit breaker opens after `breakerThreshold` consecutive failures and
 *   lets one probe through every `breakerCooldownMs`.
 * - Connections: the store's own duplicate of the given client, with no
 *   offline queue, no per-request retries and a socket timeout; every script
 *   echoes a nonce so a reply that does not belong to its call is rejected
 *   (and the connection reset) instead of served. Redis Cluster redirections
 *   (MOVED, ASK) and TRYAGAIN are retried by ioredis within the deadline.
 * - Keys holding something else (another Redis type, foreign bytes, garbage
 *   metadata, values above `maxValueBytes`) read as `'absent'` or `'stale'`.
 */
import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { CacheTagError } from '../../errors.js';
import type { Store, StoreEntry, StoreLookup, StoreRead, StoreSeq } from '../types.js';
import { type BreakerState, type BreakerTicket, createBreaker } from './breaker.js';
import { withDeadline } from './deadline.js';
import { encodeEntryFrame, parseEntryMeta, type TagGroup } from './entryFrame.js';
import { type ShardLayout, shardLayouts, shardOf } from './layout.js';
import { type ResolvedOptions, type RedisStoreOptions, resolveOptions } from './options.js';
import { fillScript, invalidateScript, lookupScript, readSeqScript, readTagsScript, touchTagsScript } from './scripts.js';
import { encodeSeqVector, isEpoch, parseSeqVector, type ShardSeq } from './seqVector.js';

/** The Redis store with its introspection helpers (for metrics and tests). */
export interface RedisStore extends Store {
  /** Tags whose invalidation Redis has not acknowledged yet; retried in the background. */
  readonly pendingInvalidations: number;
  /** The circuit breaker's state. */
  readonly breakerState: BreakerState;
  /** The number of sequence shards in use. */
  readonly shardCount: number;
  /**
   * Resolves to true once the store's connection is ready, or to false after
   * `timeoutMs` (default 5000). Calls made before that bypass the cache.
   */
  whenConnected(timeoutMs?: number): Promise<boolean>;
}

type Arg = string | Buffer | number;
type ScriptCall = (numKeys: number, ...args: Arg[]) => Promise<unknown>;
interface ScriptedClient {
  cachetagLookupBuffer: ScriptCall;
  cachetagFillBuffer: ScriptCall;
  cachetagTouchTagsBuffer: ScriptCall;
  cachetagInvalidateBuffer: ScriptCall;
  cachetagReadSeqBuffer: ScriptCall;
  cachetagReadTagsBuffer: ScriptCall;
}
type Client = (Redis | Cluster) & ScriptedClient;

/** An entry read by a lookup script whose other shards remain to be checked. */
interface Candidate {
  readonly index: number;
  readonly shard: number;
  readonly value: Buffer;
  readonly meta: Buffer;
}

/** An entry ready to be written. */
interface PreparedFill {
  readonly key: string;
  readonly shard: number;
  readonly frame: Buffer;
  readonly ttlMs: number;
  readonly foreign: readonly TagGroup[];
}

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 5000;

/**
 * Creates the Redis store. See the design notes at the top of this file.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisStore } from 'cachetag/redis';
 * const store = createRedisStore({ client: new Redis({ host: '127.0.0.1', lazyConnect: true }) });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const o = resolveOptions(options);
  const shardCount = o.shards;
  const shards = shardLayouts(o.prefix, shardCount);
  const client = openClient(o);
  const breaker = createBreaker(o.breakerThreshold, o.breakerCooldownMs);
  const lastSeen: (ShardSeq | undefined)[] = new Array(shardCount).fill(undefined);
  let nonceCounter = 0;
  let closed = false;

  // Pending invalidations: tag → generation of the latest failure recording
  // it. A call that started at generation g and succeeded covers every
  // failure recorded up to g (their mutations were written before it ran).
  const pending = new Map<string, number>();
  let generation = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelayMs = RETRY_MIN_MS;

  function nextNonce(): string {
    nonceCounter = (nonceCounter + 1) % Number.MAX_SAFE_INTEGER;
    return String(nonceCounter);
  }

  /** ARGV[1..4] of every script: nonce, a candidate epoch, and what this client last saw of the shard. */
  function commonArgs(shard: ShardLayout, nonce: string): Arg[] {
    const seen = lastSeen[shard.index];
    return [nonce, randomBytes(8).toString('hex'), seen?.epoch ?? '', seen === undefined ? '' : String(seen.n)];
  }

  /** Checks a script reply's `{nonce, epoch, counter}` head and records the shard's position. */
  function replyHead(reply: unknown, nonce: string, shard: number): { seq: ShardSeq; rest: unknown[] } {
    if (!Array.isArray(reply) || reply.length < 3) throw protocolError('a malformed reply');
    const [echo, epochBytes, n] = reply as [unknown, unknown, unknown];
    if (!Buffer.isBuffer(echo) || echo.toString('latin1') !== nonce) throw protocolError('a reply that belongs to another call');
    const epoch = Buffer.isBuffer(epochBytes) ? epochBytes.toString('latin1') : '';
    if (!isEpoch(epoch) || typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw protocolError('a malformed sequence');
    const seen = lastSeen[shard];
    if (seen === undefined || seen.epoch !== epoch || seen.n < n) lastSeen[shard] = { epoch, n };
    return { seq: { epoch, n }, rest: reply.slice(3) };
  }

  async function readSeq(shard: ShardLayout, nonce: string): Promise<ShardSeq> {
    const reply = await client.cachetagReadSeqBuffer(1, shard.seqKey, ...commonArgs(shard, nonce));
    return replyHead(reply, nonce, shard.index).seq;
  }

  // ---- get ---------------------------------------------------------------

  async function lookup(keys: readonly string[]): Promise<StoreLookup> {
    const nonce = nextNonce();
    const byShard = new Map<number, number[]>();
    for (let i = 0; i < keys.length; i++) {
      const shard = shardOf(keys[i]!, shardCount);
      const list = byShard.get(shard);
      if (list) list.push(i);
      else byShard.set(shard, [i]);
    }
    const seqs: ShardSeq[] = new Array(shardCount);
    const values: StoreRead[] = new Array(keys.length).fill('stale');
    const candidates: Candidate[] = [];

    await Promise.all(
      shards.map(async (shard) => {
        const indices = byShard.get(shard.index);
        if (indices === undefined) {
          seqs[shard.index] = await readSeq(shard, nonce);
          return;
        }
        const entryKeys = indices.map((i) => shard.entryKeyPrefix + keys[i]!);
        const reply = await client.cachetagLookupBuffer(
          1 + entryKeys.length,
          shard.seqKey,
          ...entryKeys,
          ...commonArgs(shard, nonce),
          shard.index,
          shardCount,
          o.maxValueBytes,
        );
        const { seq, rest } = replyHead(reply, nonce, shard.index);
        if (rest.length !== indices.length) throw protocolError('a reply of the wrong length');
        seqs[shard.index] = seq;
        rest.forEach((item, j) => {
          const index = indices[j]!;
          if (item === 0) {
            values[index] = 'absent';
          } else if (Array.isArray(item) && item.length === 2 && Buffer.isBuffer(item[0]) && Buffer.isBuffer(item[1])) {
            candidates.push({ index, shard: shard.index, value: item[0], meta: item[1] });
          }
        });
      }),
    );

    // Tags held by other shards, and tags with an unacknowledged invalidation.
    const slow: { candidate: Candidate; groups: TagGroup[] }[] = [];
    for (const candidate of candidates) {
      if (shardCount === 1 && pending.size === 0) {
        values[candidate.index] = candidate.value;
        continue;
      }
      const meta = parseEntryMeta(candidate.meta);
      if (meta === undefined || meta.shardCount !== shardCount) continue;
      if (pending.size > 0 && meta.groups.some((g) => g.tags.some((t) => pending.has(t)))) continue;
      let fresh = true;
      const unsure: TagGroup[] = [];
      for (const group of meta.groups) {
        if (group.shard === candidate.shard) continue;
        const now = seqs[group.shard]!;
        if (group.epoch !== now.epoch || group.fetch > now.n) fresh = false;
        else if (group.fetch < now.n) unsure.push(group);
      }
      if (!fresh) continue;
      if (unsure.length === 0) values[candidate.index] = candidate.value;
      else slow.push({ candidate, groups: unsure });
    }
    if (slow.length > 0) {
      const versions = await readTagVersions(slow.flatMap((s) => s.groups));
      for (const { candidate, groups } of slow) {
        const fresh = groups.every((g) => g.tags.every((t) => isFreshVersion(versions.get(g.shard)?.get(t), g)));
        if (fresh) values[candidate.index] = candidate.value;
      }
    }
    return { values, seq: encodeSeqVector(seqs) };
  }

  /** Reads the tag records of the given groups, one `readTags` script per shard, in parallel. */
  async function readTagVersions(groups: readonly TagGroup[]): Promise<Map<number, Map<string, { epoch: string; version: number }>>> {
    const wanted = new Map<number, Set<string>>();
    for (const group of groups) {
      const set = wanted.get(group.shard) ?? new Set<string>();
      for (const tag of group.tags) set.add(tag);
      wanted.set(group.shard, set);
    }
    const nonce = nextNonce();
    const out = new Map<number, Map<string, { epoch: string; version: number }>>();
    await Promise.all(
      [...wanted].map(async ([index, set]) => {
        const shard = shards[index]!;
        const tags = [...set];
        const reply = await client.cachetagReadTagsBuffer(
          1 + tags.length,
          shard.seqKey,
          ...tags.map((t) => shard.tagKeyPrefix + t),
          ...commonArgs(shard, nonce),
        );
        const { rest } = replyHead(reply, nonce, index);
        if (rest.length !== tags.length) throw protocolError('a reply of the wrong length');
        const records = new Map<string, { epoch: string; version: number }>();
        rest.forEach((record, i) => {
          const parsed = parseTagRecord(record);
          if (parsed) records.set(tags[i]!, parsed);
        });
        out.set(index, records);
      }),
    );
    return out;
  }

  // ---- set ---------------------------------------------------------------

  function prepare(entry: StoreEntry): PreparedFill | undefined {
    if (!(entry.value instanceof Uint8Array) || entry.value.byteLength > o.maxValueBytes) return undefined;
    const ttlMs = Math.ceil(entry.ttlMs);
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) return undefined;
    const fetch = parseSeqVector(entry.fetchSeq, shardCount);
    if (fetch === undefined) return undefined;
    // A fill carrying a tag whose invalidation Redis has not acknowledged
    // yet may hold data older than that invalidation: never let it land.
    if (pending.size > 0 && entry.tags.some((t) => pending.has(normalizeTag(t)))) return undefined;
    const shard = shardOf(entry.key, shardCount);
    // The entry's own shard always has a group, even without tags there, so
    // that an epoch change of that shard retires the entry too.
    const byShard = new Map<number, Set<string>>([[shard, new Set()]]);
    for (const tag of entry.tags) {
      const shard = shardOf(tag, shardCount);
      const set = byShard.get(shard) ?? new Set<string>();
      set.add(tag);
      byShard.set(shard, set);
    }
    const groups: TagGroup[] = [...byShard]
      .sort(([a], [b]) => a - b)
      .map(([index, tags]) => ({ shard: index, epoch: fetch[index]!.epoch, fetch: fetch[index]!.n, tags: [...tags] }));
    return {
      key: entry.key,
      shard,
      frame: encodeEntryFrame(shardCount, groups, entry.value),
      ttlMs,
      foreign: groups.filter((g) => g.shard !== shard),
    };
  }

  async function fill(entries: readonly StoreEntry[]): Promise<number> {
    const prepared: PreparedFill[] = [];
    for (const entry of entries) {
      const p = prepare(entry);
      if (p) prepared.push(p);
    }
    if (prepared.length === 0) return 0;

    // Tags in other shards first: their records must exist before the entry
    // can be read as fresh, and entries they prove stale are not sent.
    const foreignTtl = new Map<number, Map<string, number>>();
    for (const p of prepared) {
      for (const group of p.foreign) {
        const ttls = foreignTtl.get(group.shard) ?? new Map<string, number>();
        for (const tag of group.tags) ttls.set(tag, Math.max(ttls.get(tag) ?? 0, p.ttlMs + o.tagTtlMarginMs));
        foreignTtl.set(group.shard, ttls);
      }
    }
    const touched = new Map<number, { epoch: string; versions: Map<string, number> }>();
    if (foreignTtl.size > 0) {
      const nonce = nextNonce();
      await Promise.all(
        [...foreignTtl].map(async ([index, ttls]) => {
          const shard = shards[index]!;
          const tags = [...ttls.keys()];
          const reply = await client.cachetagTouchTagsBuffer(
            1 + tags.length,
            shard.seqKey,
            ...tags.map((t) => shard.tagKeyPrefix + t),
            ...commonArgs(shard, nonce),
            ...tags.map((t) => ttls.get(t)!),
          );
          const { seq, rest } = replyHead(reply, nonce, index);
          if (rest.length !== tags.length) throw protocolError('a reply of the wrong length');
          const versions = new Map<string, number>();
          rest.forEach((v, i) => {
            if (typeof v === 'number') versions.set(tags[i]!, v);
          });
          touched.set(index, { epoch: seq.epoch, versions });
        }),
      );
    }

    const byShard = new Map<number, PreparedFill[]>();
    for (const p of prepared) {
      const fresh = p.foreign.every((g) => {
        const t = touched.get(g.shard);
        return t !== undefined && t.epoch === g.epoch && g.tags.every((tag) => (t.versions.get(tag) ?? Infinity) <= g.fetch);
      });
      if (!fresh) continue;
      const list = byShard.get(p.shard);
      if (list) list.push(p);
      else byShard.set(p.shard, [p]);
    }

    const nonce = nextNonce();
    const counts = await Promise.all(
      [...byShard].map(async ([index, list]) => {
        const shard = shards[index]!;
        const reply = await client.cachetagFillBuffer(
          1 + list.length,
          shard.seqKey,
          ...list.map((p) => shard.entryKeyPrefix + p.key),
          ...commonArgs(shard, nonce),
          index,
          shardCount,
          o.tagTtlMarginMs,
          ...list.flatMap((p) => [p.frame, p.ttlMs]),
        );
        const { rest } = replyHead(reply, nonce, index);
        return rest.filter((r) => r === 1).length;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  // ---- invalidate ----------------------------------------------------------

  /** Runs the invalidation scripts; `done` collects the shards Redis acknowledged, even if another shard fails. */
  async function runInvalidate(tags: readonly string[], done: Set<number>): Promise<StoreSeq> {
    const nonce = nextNonce();
    const byShard = new Map<number, string[]>();
    for (const tag of tags) {
      const shard = shardOf(tag, shardCount);
      const list = byShard.get(shard);
      if (list) list.push(tag);
      else byShard.set(shard, [tag]);
    }
    const seqs: ShardSeq[] = new Array(shardCount);
    await Promise.all(
      shards.map(async (shard) => {
        const list = byShard.get(shard.index);
        if (list === undefined) {
          seqs[shard.index] = await readSeq(shard, nonce);
          return;
        }
        const reply = await client.cachetagInvalidateBuffer(
          1 + list.length,
          shard.seqKey,
          ...list.map((t) => shard.tagKeyPrefix + t),
          ...commonArgs(shard, nonce),
        );
        seqs[shard.index] = replyHead(reply, nonce, shard.index).seq;
        done.add(shard.index);
      }),
    );
    return encodeSeqVector(seqs);
  }

  function markPending(tags: readonly string[]): void {
    generation++;
    for (const tag of tags) pending.set(tag, generation);
    scheduleRetry();
  }

  function settle(tags: readonly string[], since: number): void {
    for (const tag of tags) {
      const g = pending.get(tag);
      if (g !== undefined && g <= since) pending.delete(tag);
    }
  }

  function scheduleRetry(): void {
    if (retryTimer !== undefined || closed || pending.size === 0) return;
    retryTimer = setTimeout(() => void retryPending(), retryDelayMs);
    retryTimer.unref();
  }

  /** One attempt to deliver every pending invalidation; true when none is left. */
  async function deliverPending(): Promise<boolean> {
    const tags = [...pending.keys()];
    if (tags.length === 0) return true;
    const since = generation;
    const ticket = notConnected() ? undefined : breaker.allow();
    if (ticket === undefined) return false;
    const done = new Set<number>();
    try {
      await withDeadline(runInvalidate(tags, done), o.writeTimeoutMs, 'pending invalidation retry');
      breaker.success(ticket);
      settle(tags, since);
    } catch (error) {
      failed(ticket, error);
      settle(
        tags.filter((t) => done.has(shardOf(t, shardCount))),
        since,
      );
    }
    return pending.size === 0;
  }

  async function retryPending(): Promise<void> {
    retryTimer = undefined;
    if (closed) return;
    const delivered = await deliverPending();
    retryDelayMs = delivered ? RETRY_MIN_MS : Math.min(retryDelayMs * 2, RETRY_MAX_MS);
    scheduleRetry();
  }

  /**
   * Before the connection is ready (startup, reconnection) a call fails at
   * once without waiting; such failures cost nothing, so they do not count
   * against the breaker.
   */
  function notConnected(): CacheTagError | undefined {
    return client.status === 'ready' ? undefined : unavailable(`not connected to Redis (connection ${client.status})`);
  }

  function unconfirmedSeq(): StoreSeq {
    return `unconfirmed:${nextNonce()}`;
  }

  // ---- failures ------------------------------------------------------------

  function failed(ticket: BreakerTicket, error: unknown): void {
    const opened = breaker.failure(ticket);
    // A reply that belongs to another call means the connection lost bytes:
    // everything queued on it is misaligned. Opening the breaker is also the
    // moment to drop connections that may be wedged.
    if (opened || (error instanceof CacheTagError && error.message.includes('another call'))) {
      try {
        client.disconnect(true);
      } catch {
        // Reconnection is best effort; the breaker keeps callers safe meanwhile.
      }
    }
  }

  return {
    get pendingInvalidations() {
      return pending.size;
    },
    get breakerState() {
      return breaker.state;
    },
    get shardCount() {
      return shardCount;
    },
    async whenConnected(timeoutMs = 5000) {
      const until = performance.now() + timeoutMs;
      while (client.status !== 'ready') {
        if (closed || performance.now() > until) return false;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return true;
    },

    /**
     * Reads many keys with their freshness checked against the tag records.
     * Rejects with `STORE_UNAVAILABLE` (never hangs) when Redis cannot answer
     * within `readTimeoutMs` or the circuit breaker is open.
     */
    async get(keys) {
      if (closed) throw unavailable('get after close()');
      const offline = notConnected();
      if (offline) throw offline;
      const ticket = breaker.allow();
      if (ticket === undefined) {
        throw new CacheTagError(
          'STORE_UNAVAILABLE',
          `Redis store: the circuit breaker is open after ${o.breakerThreshold} consecutive failures; bypassing the cache.`,
        );
      }
      try {
        const result = await withDeadline(lookup(keys), o.readTimeoutMs, `get of ${keys.length} key(s)`);
        breaker.success(ticket);
        return result;
      } catch (error) {
        failed(ticket, error);
        throw asUnavailable(error, 'get');
      }
    },

    /** Writes fresh entries; never rejects. Resolves to the number written (0 when Redis failed, which is reported to `onError`). */
    async set(entries) {
      if (closed || entries.length === 0) return 0;
      const offline = notConnected();
      if (offline) {
        o.onError(offline, 'set');
        return 0;
      }
      const ticket = breaker.allow();
      if (ticket === undefined) {
        o.onError(new CacheTagError('STORE_UNAVAILABLE', 'Redis store: the circuit breaker is open; the fill was dropped.'), 'set');
        return 0;
      }
      try {
        const written = await withDeadline(fill(entries), o.writeTimeoutMs, `set of ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`);
        breaker.success(ticket);
        return written;
      } catch (error) {
        failed(ticket, error);
        o.onError(asUnavailable(error, 'set'), 'set');
        return 0;
      }
    },

    /**
     * Invalidates tags; never rejects and resolves within `writeTimeoutMs`.
     * When Redis does not acknowledge, the tags are kept pending and retried
     * in the background (see the design notes); the returned sequence then
     * equals no other.
     */
    async invalidate(tags) {
      const list = [...new Set(tags.map(normalizeTag))];
      if (closed) {
        o.onError(unavailable(`invalidate after close(); ${list.length} tag(s) not invalidated`), 'invalidate');
        return unconfirmedSeq();
      }
      const since = generation;
      const offline = notConnected();
      const ticket = offline ? undefined : breaker.allow();
      if (ticket === undefined) {
        if (list.length > 0) {
          markPending(list);
          const why = offline ? `not connected to Redis (connection ${client.status})` : 'the circuit breaker is open';
          o.onError(unavailable(`${why}; ${list.length} tag(s) kept pending for retry`), 'invalidate');
        }
        return unconfirmedSeq();
      }
      const done = new Set<number>();
      try {
        const seq = await withDeadline(runInvalidate(list, done), o.writeTimeoutMs, `invalidate of ${list.length} tag(s)`);
        breaker.success(ticket);
        settle(list, since);
        return seq;
      } catch (error) {
        failed(ticket, error);
        const acknowledged = list.filter((t) => done.has(shardOf(t, shardCount)));
        const unacknowledged = list.filter((t) => !done.has(shardOf(t, shardCount)));
        settle(acknowledged, since);
        if (unacknowledged.length > 0) {
          markPending(unacknowledged);
          o.onError(asUnavailable(error, `invalidate (${unacknowledged.length} tag(s) kept pending for retry)`), 'invalidate');
        }
        return unconfirmedSeq();
      }
    },

    /** Stops retries, makes one last attempt at pending invalidations (reporting any left), and closes the connections. */
    async close() {
      if (closed) return;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
      if (pending.size > 0 && !(await deliverPending())) {
        o.onError(unavailable(`closed with ${pending.size} invalidation(s) Redis never acknowledged`), 'close');
      }
      closed = true;
      try {
        await withDeadline(client.quit(), o.writeTimeoutMs, 'close');
      } catch {
        client.disconnect();
      }
    },
  };
}

/** Opens the store's own connection(s) from the template client, with the settings cache traffic needs. */
function openClient(o: ResolvedOptions): Client {
  let client: Redis | Cluster;
  if (o.client.isCluster) {
    const template = o.client as Cluster;
    client = template.duplicate([], {
      enableOfflineQueue: false,
      lazyConnect: false,
      retryDelayOnTryAgain: 10,
      redisOptions: { ...template.options.redisOptions, maxRetriesPerRequest: 0, socketTimeout: o.socketTimeoutMs },
    });
    client.on('node error', () => {});
  } else {
    client = (o.client as Redis).duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false, socketTimeout: o.socketTimeoutMs });
  }
  // Connection errors surface as failed calls; the listener keeps ioredis quiet.
  client.on('error', () => {});
  client.defineCommand('cachetagLookup', { lua: lookupScript });
  client.defineCommand('cachetagFill', { lua: fillScript });
  client.defineCommand('cachetagTouchTags', { lua: touchTagsScript });
  client.defineCommand('cachetagInvalidate', { lua: invalidateScript });
  client.defineCommand('cachetagReadSeq', { lua: readSeqScript });
  client.defineCommand('cachetagReadTags', { lua: readTagsScript });
  return client as Client;
}

/** Tags are compared as Redis stores them: as UTF-8, which turns lone surrogates into U+FFFD. */
function normalizeTag(tag: string): string {
  return Buffer.from(tag, 'utf8').toString('utf8');
}

function isFreshVersion(record: { epoch: string; version: number } | undefined, group: TagGroup): boolean {
  return record !== undefined && record.epoch === group.epoch && record.version <= group.fetch;
}

function parseTagRecord(record: unknown): { epoch: string; version: number } | undefined {
  if (!Buffer.isBuffer(record) || record.length < 17) return undefined;
  const epoch = record.toString('latin1', 0, 16);
  const version = record.toString('latin1', 16);
  if (!isEpoch(epoch) || !/^\d{1,15}$/.test(version)) return undefined;
  return { epoch, version: Number(version) };
}

function protocolError(what: string): CacheTagError {
  return new CacheTagError('STORE_UNAVAILABLE', `Redis store: Redis sent ${what}.`);
}

function unavailable(message: string): CacheTagError {
  return new CacheTagError('STORE_UNAVAILABLE', `Redis store: ${message}.`);
}

function asUnavailable(error: unknown, operation: string): CacheTagError {
  if (error instanceof CacheTagError && error.code === 'STORE_UNAVAILABLE') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CacheTagError('STORE_UNAVAILABLE', `Redis store: ${operation} failed: ${message}`, { cause: error });
}
