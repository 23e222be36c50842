/**
 * The Redis store: tag-versioned entries checked at read time, on a single
 * Redis or a Redis Cluster, that fails open.
 *
 * Design
 * ------
 * Shards. The invalidation sequence is split into `shards` counters (one on a standalone Redis, 16 on a cluster by
 * default). Shard `i` owns a hash tag `{<prefix>:v2:<i>:<salt>}` (layout.ts) under which live its counter, the
 * version records of the tags that hash to it, and the entries whose key hashes to it. Everything one script touches
 * therefore sits in one slot. The salt places the shards in evenly spaced slot ranges, so on a cluster they, and the
 * traffic they carry, spread over the primaries.
 *
 * Sequence. `StoreSeq` is the vector of every shard's `<epoch>:<counter>` (seqVector.ts). An invalidation raises the
 * counter of each shard its tags hash to, once, and stores the new value as the version of each tag (one write per
 * tag, no tag → key index, nothing to scan or collect). A fill carries the vector its lookup saw; the entry is stored
 * with, for its own shard and every shard holding one of its tags, that shard's epoch and counter at fetch time and
 * the tags held there (entryFrame.ts). An entry is fresh when, for every such group, the shard is still in the same
 * epoch and every tag's version is at most the recorded counter. Two vectors are equal only if no shard moved, so
 * `===` keeps meaning "no invalidation between". No wall clock decides freshness (Redis's clock only decides when a
 * tag record's TTL is renewed, see Writing).
 *
 * Reading (freshness is checked on every read, not only at write):
 * - `lookup` script, one per shard that holds requested keys: reads the entries, checks the tags they have in that
 *   shard against their records, and returns the shard's epoch and counter, all atomically.
 * - `readSeq` script for every other shard, so the returned vector is whole.
 * - An entry with tags in other shards is fresh for those groups when the other shard's counter still equals the
 *   recorded one (nothing at all was invalidated there since the fetch). Otherwise a second round reads the tag
 *   records of those shards (`readTags`).
 * Standalone (one shard): a `get` is exactly one script, one round trip.
 * Concurrent `get`s (each request's batch) share rounds: those of one turn of the event loop, and those made while a
 * round is out, go as one round for the union of their keys (tickBatch.ts), sent after all of them were called.
 * Cluster: one round of `shards` commands sent in parallel, grouped by node by ioredis, plus a second parallel round
 * only for entries whose other shards saw an invalidation since their fetch.
 *
 * Writing. `fill` script, one per shard holding entries of the batch: checks
 * the entries' tags in that shard, creates missing tag records at the current
 * counter, renews the records that would expire before the entry, and writes
 * the entries that are fresh. A record written for an entry of TTL t lives
 * t + max(t, tagTtlMarginMs) and keeps its expiry in its value, so the read
 * that fetches versions also tells which records need renewing, and a tag
 * filled again and again is rewritten about once per max(t, margin) instead
 * of on every fill. Tags in other shards are handled first by `touchTags`
 * (one parallel round, cluster only), and entries they prove stale are not
 * sent; one invalidated between that round and the write is caught on read.
 * A shard whose entries of one `set` carry more than MAX_TAGS_PER_SCRIPT
 * tag records is filled in bounded steps instead (touchTags in chunks, then
 * `fillFenced`, which writes only if the shard's counter did not move since
 * the first chunk), so no script blocks Redis for long.
 * Standalone: a `set` is exactly one script. A missing record is created at
 * the current counter (dropping entries fetched before the shard moved) unless
 * the shard's log of recent raises shows none named it (fillScripts.ts).
 *
 * Cost inside Redis. Scripts run on the CPU the application shares, so they
 * execute few commands and leave parsing to C (scripts.ts). Per shard: a
 * lookup runs HMGET (the counter), one GETRANGE per entry and one MGET of
 * every tag record its entries need; a fill runs HMGET, MGET, TIME, one SET
 * per entry written and one per record created or renewed; an invalidation
 * runs HMGET, HINCRBY, MGET and one SET per existing record. What remains
 * is mostly proportional to bytes: a value passes through Lua on its way
 * out, which costs several times what a plain GET of it would.
 *
 * Losing state never resurrects entries. A missing tag record reads as stale
 * (records carry TTLs and may be evicted), and a fill recreates it at the
 * current counter, which is never below the version it lost. A missing or
 * malformed counter starts a new random epoch, which every older entry and
 * record fails to match (flush, restart without persistence, eviction). A
 * counter lower than one this client already saw in the same epoch (failover
 * to a lagging replica) also starts a new epoch. So does a counter record
 * created by another run of the server: it keeps the server's `run_id`, and
 * every connection, as it becomes ready and before the store uses it, runs
 * `checkEpoch` (epochCheck.ts), so a restart from an older snapshot (which
 * lacks acknowledged invalidations) or a promoted replica is never trusted,
 * by any process. Cost: every restart of Redis empties the cache in effect,
 * persistence or not. Known limit: an acknowledged invalidation can be lost
 * by a failover that no client of the store observed; Redis replication is
 * asynchronous.
 *
 * Cluster. Scripts declare every key they write, so during a slot migration
 * Redis answers ASK or TRYAGAIN (followed by ioredis) rather than letting a
 * script write on the node giving the slot away; tag records a lookup cannot
 * see there read as stale. An invalidation touches only its tags' shards, but
 * a lookup reads every shard's counter (the vector must be whole for fills),
 * so each `get` sends `shards` small scripts, spread over all primaries: more
 * shards spread load and memory more finely and cost more commands per get.
 * A lookup concurrent with an invalidation may see either state; once
 * `invalidate` has resolved, no lookup returns what it invalidated. While a
 * migration has split a shard's keys over two nodes the invalidate script is
 * refused (TRYAGAIN, ASK, MOVED); it then raises the counter alone and deletes
 * the tags' records one by one, each DEL followed to its node.
 * Each shard has its own breaker and deadline (shardGuard.ts): a lookup
 * answers from the shards that answered and treats the others as unknown
 * (their keys read as stale, no entry depending on them is served or
 * filled); an invalidation touches only its tags' shards. A hung or dead
 * primary therefore costs only the shards it serves, once their breakers
 * opened (the first `breakerThreshold` lookups wait for their deadline).
 *
 * Failures: fail open, fast.
 * - `get` rejects with `STORE_UNAVAILABLE` within `readTimeoutMs` (default
 *   50 ms) when Redis is down, slow, hung, out of memory or the breaker is
 *   open; the engine serves such keys uncached. It never returns a value it
 *   could not check.
 * - `set` never rejects: it resolves to the number of entries written (0 on
 *   failure) within `writeTimeoutMs` and reports the failure to `onError`.
 * - `invalidate` resolves once Redis acknowledged, or rejects with
 *   `INVALIDATION_UNACKNOWLEDGED` (an UnacknowledgedInvalidationError naming
 *   the tags), within `invalidateTimeoutMs`; it waits for the connection within
 *   that deadline (a store just created, a reconnection). Tags Redis did not
 *   acknowledge join a local pending set; while a tag is pending, entries
 *   carrying it read as `'stale'` and fills carrying it are dropped; a
 *   background loop retries them (with backoff, oldest first) until Redis
 *   acknowledges. `pendingInvalidations` counts them.
 * - `close` keeps delivering pending invalidations for up to `invalidateTimeoutMs` (waiting for the connection
 *   too), then reports those left to `onError` ('close', `INVALIDATION_UNACKNOWLEDGED`, naming them) and resolves.
 * - A circuit breaker (on a cluster, one per shard) opens after `breakerThreshold` consecutive failures and
 *   lets one probe through every `breakerCooldownMs`. While the connection is
 *   down calls fail at once and do not count: the breaker guards against
 *   waiting (hung or slow Redis), not against instant refusals.
 * - Connections: the store's own duplicate of the given client, with no
 *   offline queue, no per-request retries and a socket timeout; every script
 *   echoes a nonce so a reply that does not belong to its call is rejected
 *   (and the connection reset) instead of served. Redis Cluster redirections
 *   (MOVED, ASK) and TRYAGAIN are retried by ioredis within the deadline.
 *   Scripts are loaded (SCRIPT LOAD) on each connection as it becomes ready,
 *   and `whenConnected()` waits for that, so even the first call is a plain
 *   EVALSHA, without script text or compilation inside the read deadline;
 *   after NOSCRIPT (a restarted or promoted node) a call sends it once.
 * - Keys holding something else (another Redis type, foreign bytes, garbage
 *   metadata, values above `maxValueBytes`) read as `'absent'` or `'stale'`;
 *   a lookup reads at most `maxValueBytes` plus the metadata limit per key,
 *   whatever is stored there.
 */
import { type CacheTagError, UnacknowledgedInvalidationError } from '../../errors.js';
import type { Store, StoreSeq } from '../types.js';
import { type BreakerState, type BreakerTicket, createBreaker, worstState } from '../wrappers/breaker.js';
import { openConnection } from './connection.js';
import { raceDeadline } from '../wrappers/deadline.js';
import { createEpochCheck } from './epochCheck.js';
import { createLeases } from './leases.js';
import { type LocalTierContext, type LocalTierStats, withLocalTier } from './localTier.js';
import { type RedisStoreOptions, resolveOptions } from './options.js';
import { createPendingInvalidations } from './pendingInvalidations.js';
import { createReadiness } from './readiness.js';
import { createCounterRecorder } from './counterBuckets.js';
import { createShardGuard } from './shardGuard.js';
import { createAnswerClock } from './answerClock.js';
import { isReplyMismatch, normalizeTag } from './shardCalls.js';
import { createShardOperations } from './shardOperations.js';
import { createTickBatch, type TickBatchDeadline } from './tickBatch.js';
import type { LookupDetails } from './shardLookup.js';
import { createInvalidationPublisher } from './invalidationPublish.js';
import { asUnavailable, unacknowledged, unavailable } from './storeErrors.js';

/** The Redis store with its introspection helpers (for metrics and tests). */
export interface RedisStore extends Store {
  /** Tags whose invalidation Redis has not acknowledged yet; retried in the background. */
  readonly pendingInvalidations: number;
  /** The worst state of the circuit breakers (reads and fills; invalidations). */
  readonly breakerState: BreakerState;
  /** The number of sequence shards in use. */
  readonly shardCount: number;
  /**
   * Resolves to true once the store's connection is ready and its scripts are
   * loaded, or to false when not connected after `timeoutMs` (default 5000).
   * Calls made before the connection is ready bypass the cache.
   */
  whenConnected(timeoutMs?: number): Promise<boolean>;
  /** The in-process tier's figures, when `local` is set. */
  readonly localTier?: LocalTierStats;
}

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
  // Late-bound: the connection reports readiness, the check needs the shards built on it.
  const onReady = { reconnected: (): void => {} };
  const connection = openConnection(o.client, o.socketTimeoutMs, () => onReady.reconnected());
  const { client } = connection;
  // Pending invalidations are retried as soon as Redis (a shard) answers again after failures.
  const guard = createShardGuard(o.shards, o.breakerThreshold, o.breakerCooldownMs, () => pending.kick());
  // Every acknowledged invalidation is published by the script that makes it (invalidationPublish.ts).
  const publisher = createInvalidationPublisher(o.prefix, o.source);
  const shards = createShardOperations(connection, { ...o, shardCount: o.shards, publisher }, guard);
  const epochs = createEpochCheck(
    () => shards.checkEpochs(performance.now() + o.writeTimeoutMs),
    () => client.status === 'ready',
  );
  onReady.reconnected = () => {
    guard.uncheckAll();
    epochs.reconnected();
  };
  // With several shards each shard has its own breakers and deadline (shardGuard.ts): the store's breakers never open.
  // Two lanes: reads and fills share one breaker; invalidations have their own, so fills overrunning their short
  // deadline (a slow, not a dead, Redis) never make an invalidation fail fast that would be acknowledged within its
  // longer one. A dead or hung Redis opens both, each after its own failures.
  const threshold = guard.isolating ? Number.MAX_SAFE_INTEGER : o.breakerThreshold;
  const breaker = createBreaker(threshold, o.breakerCooldownMs);
  const invalidationBreaker = createBreaker(threshold, o.breakerCooldownMs);
  /** Runs a shards call under the store's deadline (one shard) or under the shards' own deadlines (several). */
  const bounded = <T>(call: (until: number) => Promise<T>, ms: number, what: string): Promise<T> =>
    guard.isolating ? call(performance.now() + ms) : raceDeadline(answers.track(call(Number.POSITIVE_INFINITY)), ms, what);
  const answers = createAnswerClock();
  const pending = createPendingInvalidations(deliver);
  let closed = false;
  // Before the connection is ready (startup, reconnection) a call fails at once without waiting (readiness.ts).
  const { notConnected, whenConnected } = createReadiness(connection, epochs, guard, () => closed);
  // Replaced by attach() with the cache's failure channel, unless the user chose an onError.
  let report = o.onError;

  function failed(ticket: BreakerTicket, error: unknown, lane = breaker): void {
    const opened = lane.failure(ticket);
    // A reply that belongs to another call means the connection lost bytes:
    // everything queued on it is misaligned. Opening the breaker is also the
    // moment to drop a connection that may be wedged: one that has not
    // answered anything for a whole cooldown. A Redis that answers late is
    // slow, not wedged: reconnecting would only add its round trips to every
    // call (the invalidations' above all).
    const wedged = answers.silentForMs() > o.breakerCooldownMs;
    if ((opened && wedged) || isReplyMismatch(error)) {
      try {
        client.disconnect(true);
      } catch {
        // Reconnection is best effort; the breaker keeps callers safe meanwhile.
      }
    }
  }

  /**
   * Runs the invalidation under the breaker and the write deadline; resolves
   * to the new sequence (undefined on failure) and the tags Redis acknowledged.
   */
  async function attemptInvalidate(
    tags: readonly string[],
    deadlineMs = o.invalidateTimeoutMs,
  ): Promise<{ seq?: StoreSeq; acknowledged: readonly string[]; error?: CacheTagError }> {
    const offline = notConnected();
    const ticket = offline === undefined ? invalidationBreaker.allow() : undefined;
    if (ticket === undefined) return { acknowledged: [], error: unavailable(offline ?? 'the circuit breaker of invalidations is open') };
    const done = new Set<number>();
    try {
      const seq = await bounded((until) => shards.invalidate(tags, done, until), deadlineMs, `invalidate of ${tags.length} tag(s)`);
      if (invalidationBreaker.success(ticket)) pending.kick();
      return { seq, acknowledged: tags };
    } catch (error) {
      failed(ticket, error, invalidationBreaker);
      return { acknowledged: tags.filter((t) => done.has(shards.shardOfTag(t))), error: asUnavailable(error, 'invalidate') };
    }
  }

  async function deliver(tags: readonly string[]): Promise<readonly string[]> {
    return (await attemptInvalidate(tags)).acknowledged;
  }

  /** A read (a get, the tier's catch-up) under the breaker of reads and fills and `readTimeoutMs`. */
  async function guardedRead<T>(call: (until: number) => Promise<T>, what: string): Promise<T> {
    const offline = closed ? 'get after close()' : notConnected();
    const ticket = offline === undefined ? breaker.allow() : undefined;
    if (ticket === undefined)
      throw unavailable(offline ?? `the circuit breaker of reads and fills is open after ${o.breakerThreshold} consecutive failures; bypassing the cache`);
    try {
      const result = await bounded(call, o.readTimeoutMs, what);
      if (breaker.success(ticket)) pending.kick();
      return result;
    } catch (error) {
      failed(ticket, error);
      throw asUnavailable(error, 'get');
    }
  }

  const store: RedisStore = {
    get pendingInvalidations() {
      return pending.size;
    },
    get breakerState() {
      return guard.isolating ? guard.state : worstState([breaker, invalidationBreaker]);
    },
    get shardCount() {
      return shards.shardCount;
    },
    whenConnected,
    attach(host) {
      // One path: the cache's failure channel (its logger, stats().errors), unless the user chose an onError.
      if (!o.ownOnError) report = (error, operation) => host.report(error, `Redis store ${operation}`);
    },

    /**
     * Reads many keys with their freshness checked against the tag records. Rejects with `STORE_UNAVAILABLE` (never
     * hangs) when Redis cannot answer within `readTimeoutMs`, is not connected, or the circuit breaker is open; the
     * caller serves those keys uncached. `details` (internal, for the in-process tier) receives each value's tags and TTL.
     */
    get: (keys, details?: LookupDetails) => guardedRead((until) => shards.lookup(keys, pending, until, details), `get of ${keys.length} key(s)`),

    /** Writes fresh entries; never rejects. Resolves to the number written (0 when Redis failed, which is reported to `onError`). */
    async set(entries) {
      if (closed || entries.length === 0) return 0;
      const offline = notConnected();
      const ticket = offline === undefined ? breaker.allow() : undefined;
      if (ticket === undefined) {
        report(unavailable(`${offline ?? 'the circuit breaker of reads and fills is open'}; the fill was dropped`), 'set');
        return 0;
      }
      try {
        const written = await bounded(
          (until) => shards.fill(entries, pending, until),
          o.writeTimeoutMs,
          `set of ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`,
        );
        if (breaker.success(ticket)) pending.kick();
        return written;
      } catch (error) {
        failed(ticket, error);
        report(asUnavailable(error, 'set'), 'set');
        return 0;
      }
    },

    /**
     * Invalidates tags; resolves once Redis acknowledged them, within
     * `invalidateTimeoutMs` (waiting for the connection if needed), or rejects with
     * an {@link UnacknowledgedInvalidationError}: the tags Redis did not
     * acknowledge are then kept pending and retried (see the design notes).
     */
    async invalidate(tags) {
      const list = [...new Set(tags.map(normalizeTag))];
      if (closed) throw unacknowledged(list, list, 'the store is closed');
      const started = performance.now();
      if (notConnected() !== undefined) await whenConnected(o.invalidateTimeoutMs);
      const since = pending.generation();
      const attempt = await attemptInvalidate(list, Math.max(1, o.invalidateTimeoutMs - (performance.now() - started)));
      pending.settle(attempt.acknowledged, since);
      if (attempt.seq !== undefined) return attempt.seq;
      const missed = list.filter((t) => !attempt.acknowledged.includes(t));
      if (missed.length === 0) return `acknowledged:${Date.now()}:${Math.random()}`;
      pending.add(missed);
      throw unacknowledged(missed, list, attempt.error!.message.replace(/^Redis store: /, '').replace(/\.$/, ''), attempt.error);
    },

    /**
     * Stops the retry loop, keeps delivering pending invalidations (waiting for
     * the connection) for up to `invalidateTimeoutMs`, reports any left to `onError`
     * ('close'), and closes the connections. Never rejects: resolves to the tags it could not deliver.
     */
    async close() {
      if (closed) return { undelivered: [] };
      pending.stop();
      const until = performance.now() + o.invalidateTimeoutMs;
      let lastError: CacheTagError | undefined;
      while (pending.size > 0) {
        const left = until - performance.now();
        if (left <= 0) break;
        if (notConnected() !== undefined && !(await whenConnected(left))) break;
        const since = pending.generation();
        const attempt = await attemptInvalidate(pending.tags(), Math.max(1, until - performance.now()));
        pending.settle(attempt.acknowledged, since);
        lastError = attempt.error;
        if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(25, Math.max(0, until - performance.now()))));
      }
      const undelivered = pending.tags();
      if (pending.size > 0) {
        const left = undelivered;
        const shown = left.length > 10 ? `${left.slice(0, 10).join(', ')}, ...` : left.join(', ');
        report(
          new UnacknowledgedInvalidationError(
            `Redis store: closed with ${left.length} invalidation(s) Redis never acknowledged within ${o.invalidateTimeoutMs} ms (${shown})${lastError ? `: ${lastError.message.replace(/^Redis store: /, '').replace(/\.$/, '')}` : ''}; other processes may serve entries carrying them until they expire.`,
            left,
            left,
          ),
          'close',
        );
      }
      closed = true;
      epochs.stop();
      try {
        await raceDeadline(client.quit(), o.writeTimeoutMs, 'close');
      } catch {
        client.disconnect();
      }
      return { undelivered };
    },
  };
  // Concurrent requests' gets share rounds (one in flight, the gets of a turn together: tickBatch.ts), as the
  // in-process tier's do; a lone get is still its own round. The tier, when on, shares its own rounds over this get.
  const sharedRoundDeadline: TickBatchDeadline = { ms: o.readTimeoutMs, expired: (ms) => unavailable(`get missed its ${ms} ms deadline`) };
  if (!o.local) store.get = createTickBatch(store.get, sharedRoundDeadline);
  if (o.leases) store.acquire = createLeases(connection, o.prefix, o.shards, o.leases.waitMs, (keys) => store.get(keys));
  store.recordCounters = createCounterRecorder(connection.client, o.prefix);
  // The optional in-process tier wraps the store (localTier.ts); strict mode catches up through the same read guard.
  const raisedSince: LocalTierContext['raisedSince'] = (since) => guardedRead((until) => shards.raisedSince(since, until), 'catch-up');
  return o.local
    ? withLocalTier(store, o.local, { client: o.client, prefix: o.prefix, shardCount: o.shards, hlc: publisher.hlc, raisedSince, sharedRoundDeadline })
    : store;
}
